"""Locust users for benchmarks/api_load.py: each is a clinician with an API token and a client, who adds a
session, drafts its note from key points, edits a section and signs, pausing 1 to 3 s between steps (reading,
typing). Credentials come from the JSON file named by AFTERNOTE_LOAD_USERS."""
from __future__ import annotations

import itertools
import json
import os
import random

from locust import HttpUser, between, task

CLINICIANS = json.loads(open(os.environ["AFTERNOTE_LOAD_USERS"]).read())
_next = itertools.count()
KEY_POINTS = ("Client reports increased anxiety at work after new manager; sleeping ~5h/night; denies SI/HI. "
              "Appeared tense, fidgeting, affect congruent. Used CBT: identified automatic thoughts, cognitive "
              "restructuring, taught box breathing. Client engaged, rated anxiety 7/10 at start, 5/10 at end. "
              "Plan: thought record daily, practice breathing 2x/day, next session in 1 week.")


class Clinician(HttpUser):
    wait_time = between(1, 3)

    def on_start(self) -> None:
        me = CLINICIANS[next(_next) % len(CLINICIANS)]
        self.client.headers["Authorization"] = f"Bearer {me['token']}"
        self.client_id = me["client_id"]
        self.day = 0
        self.steps = self.cycle()

    def cycle(self):
        while True:
            self.day += 1
            appointment = self.client.post("/api/v1/appointments", name="appointment", json={
                "client_id": self.client_id, "date": f"2026-{1 + self.day // 28 % 12:02d}-{1 + self.day % 28:02d}",
                "start": f"{8 + random.randrange(10):02d}:00", "minutes": 53, "service": "psychotherapy"}).json()
            yield
            note = self.client.post("/api/v1/notes", name="draft", json={
                "appointment_id": appointment["id"], "key_points": KEY_POINTS, "format": "soap"}).json()
            yield
            saved = self.client.put(f"/api/v1/notes/{note['id']}/sections/plan", name="edit", json={
                "text": "Thought record daily; box breathing twice a day. Next session in 1 week.",
                "base_version": note["version"]}).json()
            yield
            self.client.post(f"/api/v1/notes/{note['id']}/sign", name="sign", json={"version": saved["version"]})
            yield

    @task
    def step(self) -> None:
        next(self.steps)
