"""practice time zone: a practice's IANA zone; session times stored in UTC, with the zone they were typed in

Before this revision a session's start and end were the wall-clock times the clinician typed, stored without a
zone, while every other moment (signatures, addenda, saves, the audit trail) was UTC. The data decision:

- every practice gets a zone: AFTERNOTE_TIME_ZONE if the server sets one, else the server's own zone (TZ,
  /etc/timezone, /etc/localtime), else UTC; the earlier session times are read as wall-clock times in it, since
  that is the clock the server judged lateness by until now;
- each session's start and end become UTC, and the session keeps that zone in `appointments.time_zone`, so a signed
  note's seal (over the session's wall-clock times, workflow/chain.py) verifies as before, whatever zone the
  practice chooses later;
- a time in an hour the clocks skipped (02:30 on a spring-forward night) has no UTC instant in the zone: it is read
  at the offset in force before the change and its session keeps that offset as its zone (`UTC-05:00`), so its
  wall-clock time, and its seal, stay as typed; in the hour that repeats in autumn, the first one is meant;
- the downgrade turns the times back into the wall-clock times they were typed as, exactly.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 15:00:00
"""
import datetime as dt
import zoneinfo

from alembic import op
import sqlalchemy as sa


revision = '0015'
down_revision = '0014'  # re-chained after 0014 (the chart) when the branches merged
branch_labels = None
depends_on = None

UTC = dt.timezone.utc
practices = sa.table('practices', sa.column('id', sa.String), sa.column('time_zone', sa.String))
appointments = sa.table('appointments', sa.column('id', sa.String), sa.column('practice_id', sa.String),
                        sa.column('starts_at', sa.DateTime), sa.column('ends_at', sa.DateTime),
                        sa.column('time_zone', sa.String))


def _default_zone() -> str:
    from afternote.times import server_zone
    return server_zone()


def _offset_name(offset: dt.timedelta) -> str:
    minutes = int(offset.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _round_trips(wall: dt.datetime, tz: dt.tzinfo) -> bool:
    return wall.replace(tzinfo=tz).astimezone(UTC).astimezone(tz).replace(tzinfo=None) == wall


def to_utc(starts: dt.datetime, ends: dt.datetime, zone_name: str) -> tuple[dt.datetime, dt.datetime, str]:
    """A session's typed times as UTC, and the zone its wall-clock times are read back in."""
    tz: dt.tzinfo = zoneinfo.ZoneInfo(zone_name)
    if not (_round_trips(starts, tz) and _round_trips(ends, tz)):  # an hour the clocks skipped
        tz = dt.timezone(starts.replace(tzinfo=tz).utcoffset())
        zone_name = _offset_name(tz.utcoffset(None))
    return (*(t.replace(tzinfo=tz).astimezone(UTC).replace(tzinfo=None) for t in (starts, ends)), zone_name)


def upgrade() -> None:
    op.add_column('practices', sa.Column('time_zone', sa.String(length=64), nullable=True))
    op.add_column('appointments', sa.Column('time_zone', sa.String(length=64), nullable=True))
    connection = op.get_bind()
    zone_name = _default_zone()
    connection.execute(practices.update().values(time_zone=zone_name))
    rows = connection.execute(sa.select(appointments.c.id, appointments.c.starts_at, appointments.c.ends_at)).all()
    changes = []
    for appointment_id, starts, ends in rows:
        starts_utc, ends_utc, typed_in = to_utc(starts, ends, zone_name)
        changes.append({"row": appointment_id, "starts": starts_utc, "ends": ends_utc, "zone": typed_in})
    if changes:
        connection.execute(appointments.update().where(appointments.c.id == sa.bindparam("row")).values(
            starts_at=sa.bindparam("starts"), ends_at=sa.bindparam("ends"), time_zone=sa.bindparam("zone")), changes)


def downgrade() -> None:
    from afternote.times import zone  # an IANA name or UTC+HH:MM
    connection = op.get_bind()
    rows = connection.execute(sa.select(appointments.c.id, appointments.c.starts_at, appointments.c.ends_at,
                                        appointments.c.time_zone)).all()
    changes = []
    for appointment_id, starts, ends, zone_name in rows:
        tz = zone(zone_name or "UTC")
        wall = [t.replace(tzinfo=UTC).astimezone(tz).replace(tzinfo=None) for t in (starts, ends)]
        changes.append({"row": appointment_id, "starts": wall[0], "ends": wall[1]})
    if changes:
        connection.execute(appointments.update().where(appointments.c.id == sa.bindparam("row")).values(
            starts_at=sa.bindparam("starts"), ends_at=sa.bindparam("ends")), changes)
    op.drop_column('appointments', 'time_zone')
    op.drop_column('practices', 'time_zone')
