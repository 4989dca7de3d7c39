// afternote's one script: autosave, provenance highlighting, copy, conflicts, the inactivity warning, focus after a
// page change, the keyboard inside the note (one tab stop, arrow keys) and the shortcut that signs.
// Plain DOM and fetch; every form also works without it.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var body = document.body;
  var csrf = body.dataset.csrf || "";
  var lastContact = Date.now();
  var queue = Promise.resolve();

  // One request at a time, in order: a save always carries the version the previous save returned.
  function enqueue(task) {
    queue = queue.then(task, task);
    return queue;
  }

  function post(url, data) {
    return fetch(url, {
      method: "POST", body: data, credentials: "same-origin",
      headers: {"X-Requested-With": "afternote", "X-CSRF-Token": csrf, "Accept": "application/json"}
    }).then(function (response) {
      lastContact = Date.now();
      return response.json().catch(function () { return {}; }).then(function (json) {
        if (response.status === 401 && json.signed_out) { location.assign("/sign-in?reason=idle"); }
        return {status: response.status, data: json};
      });
    });
  }

  function say(element, text) { if (element) { element.textContent = text; } }

  function debounce(fn, ms) {
    var timer = null;
    return function () { clearTimeout(timer); timer = setTimeout(fn, ms); };
  }

  // --- the note's version: every form sends the one the last save returned ------------------------------------
  function setVersion(version) {
    document.querySelectorAll("input[data-version]").forEach(function (input) {
      if (!input.closest(".conflict")) { input.value = version; }
    });
    say(document.getElementById("version-label"), String(version));
    var draft = document.getElementById("draft");
    if (draft) { draft.dataset.version = version; }
  }

  // --- key points: autosaved; the first save of a new note drafts it (so a reload never loses them) ----------
  var draftForm = document.getElementById("draft-form");
  var keyPoints = document.getElementById("key_points");
  var kpStatus = document.getElementById("kp-status");

  function showDraft(data) {
    var slot = document.getElementById("draft-slot");
    if (slot && data.html) { slot.innerHTML = data.html; }
    var sources = document.getElementById("sources-slot");
    if (sources && data.sources) { sources.innerHTML = data.sources; }
    if (data.version) { setVersion(data.version); }
    if (data.key_points_revision) { setRevision(data.key_points_revision); }
  }

  // --- the key points' own revision: every save of them is based on one; a stale one shows both texts ---------
  function revisionInput() { return draftForm && draftForm.querySelector("input[data-kp-revision]"); }
  function setRevision(revision) {
    var input = revisionInput();
    if (input) { input.value = revision; }
  }
  function keyPointsConflict() { return document.getElementById("kp-conflict"); }
  function showKeyPointsConflict(data) {
    var slot = document.getElementById("kp-conflict-slot");
    if (!slot || !data.html) { return; }
    slot.innerHTML = data.html;
    say(kpStatus, "Not saved: changed in another tab or window");
  }
  function keyPointsChosen(text, revision) {
    keyPoints.value = text; savedKeyPoints = text; setRevision(revision);
    var box = keyPointsConflict();
    if (box) { box.remove(); }
    say(kpStatus, "Saved");
    keyPoints.focus();
  }

  function becameNote(data, reload) {
    history.replaceState(null, "", data.url);
    draftForm.action = data.url + "/draft";
    draftForm.dataset.autosaveUrl = data.url + "/key-points";
    var version = document.createElement("input");
    version.type = "hidden"; version.name = "base_version"; version.value = data.version;
    version.setAttribute("data-version", "");
    draftForm.appendChild(version);
    var revision = document.createElement("input");
    revision.type = "hidden"; revision.name = "key_points_revision"; revision.value = 1;
    revision.setAttribute("data-kp-revision", "");
    draftForm.appendChild(revision);
    say(document.getElementById("draft-button"), "Draft again");
    var heading = document.querySelector("main h1");
    if (heading && heading.firstChild && heading.firstChild.nodeType === 3) {
      heading.firstChild.textContent = heading.firstChild.textContent.replace(/^New note/, "Note");
    }
    document.title = document.title.replace(/^New note/, "Note");
    if (reload) { location.reload(); } else { showDraft(data); say(kpStatus, "Saved"); }
  }

  // From the Draft button: the page reloads as the note's (sign, copy, print); from autosave: typing goes on.
  function createNote(reload) {
    var data = new FormData(draftForm);
    return post(draftForm.dataset.createUrl, data).then(function (result) {
      if (result.status === 200) { savedKeyPoints = data.get("key_points"); becameNote(result.data, reload); }
      else { say(kpStatus, result.data.error || "Not saved. Check your connection and try again."); }
    });
  }

  var savedKeyPoints = keyPoints ? keyPoints.value : "";
  function saveKeyPoints() {
    return enqueue(function () {
      var typed = keyPoints.value;
      if (!typed.trim() || typed === savedKeyPoints || keyPointsConflict()) { return; }  // a conflict waits
      if (!draftForm.dataset.autosaveUrl) { return createNote(false); }
      var data = new FormData();
      data.append("key_points", typed);
      data.append("key_points_revision", revisionInput().value);
      say(kpStatus, "Saving…");
      return post(draftForm.dataset.autosaveUrl, data).then(function (result) {
        if (result.status === 200) {
          savedKeyPoints = typed; setRevision(result.data.key_points_revision); say(kpStatus, "Saved");
        } else if (result.status === 409 && result.data.conflict) { showKeyPointsConflict(result.data); }
        else { say(kpStatus, result.data.error || "Not saved"); }
      });
    });
  }

  if (draftForm && keyPoints) {
    keyPoints.addEventListener("input", debounce(saveKeyPoints, 800));
    keyPoints.addEventListener("keydown", function (event) {
      if ((event.ctrlKey || event.metaKey) && !event.shiftKey && event.key === "Enter") {
        event.preventDefault();
        draftForm.requestSubmit();
      }
    });
    draftForm.addEventListener("submit", function (event) {
      event.preventDefault();
      enqueue(function () {
        if (!draftForm.dataset.autosaveUrl) { return createNote(true); }
        say(kpStatus, "Drafting…");
        return streamDraft().catch(function () {
          return post(draftForm.action, new FormData(draftForm)).then(function (result) {
            if (result.status === 200) { drafted(result.data); }
            else if (result.status === 409 && result.data.conflict) { showKeyPointsConflict(result.data); }
            else { say(kpStatus, result.data.error || "Could not draft"); }
          });
        });
      });
    });
  }

  function drafted(data) {
    // a note the autosave created on this page has no Sign, Copy or Print box yet: show the note's own page
    if (draftForm && draftForm.dataset.autosaveUrl && !document.getElementById("sign-form")) {
      location.reload();
      return;
    }
    showDraft(data); say(kpStatus, "Drafted (version " + data.version + ")");
  }

  // --- a draft streamed section by section: newline-delimited JSON read as it arrives ---------------------------
  // Rejects (so the plain post runs instead) when the browser cannot read a stream or the server does not answer
  // with one; once the stream has started, what it says is shown and nothing is sent again.
  function streamDraft() {
    if (!window.ReadableStream || !window.TextDecoder) { return Promise.reject(new Error("no streams")); }
    return fetch(draftForm.action + "/stream", {
      method: "POST", body: new FormData(draftForm), credentials: "same-origin",
      headers: {"X-Requested-With": "afternote", "X-CSRF-Token": csrf, "Accept": "application/x-ndjson"}
    }).then(function (response) {
      lastContact = Date.now();
      var type = response.headers.get("Content-Type") || "";
      if (!response.ok || !response.body || type.indexOf("application/x-ndjson") !== 0) {
        if (response.status === 401) { location.assign("/sign-in?reason=idle"); }
        throw new Error("no stream");
      }
      var reader = response.body.getReader();
      var decoder = new TextDecoder();
      var buffered = "";
      var pane = null;
      var earlier = null;  // the draft shown before, put back if this one fails
      var finished = false;
      function line(text) {
        if (!text.trim()) { return; }
        var message = JSON.parse(text);
        if (message.section) {
          if (!pane) {
            pane = document.createElement("div");
            pane.id = "draft-streaming";
            pane.className = "streaming";
            var slot = document.getElementById("draft-slot");
            earlier = Array.prototype.slice.call(slot.childNodes);
            slot.textContent = "";
            slot.appendChild(pane);
          }
          var part = document.createElement("section");
          part.className = "note-section streaming";
          var title = document.createElement("h3");
          title.textContent = message.section.title;
          var prose = document.createElement("p");
          prose.textContent = message.section.text;
          part.appendChild(title); part.appendChild(prose); pane.appendChild(part);
          say(kpStatus, "Drafting… " + message.section.title);
        } else if (message.done) { finished = true; drafted(message); }
        else if (message.error) {
          finished = true;
          say(kpStatus, message.error);
          if (pane) { restore(); }
          if (message.conflict) { showKeyPointsConflict(message); }
        }
      }
      function restore() {
        var slot = pane.parentNode;
        pane.remove();
        earlier.forEach(function (node) { slot.appendChild(node); });
      }
      function pump() {
        return reader.read().then(function (chunk) {
          if (chunk.done) {
            line(buffered);
            if (!finished) {
              if (pane) { restore(); }
              say(kpStatus, "The draft was interrupted. Your key points are kept; reload the note.");
            }
            return;
          }
          buffered += decoder.decode(chunk.value, {stream: true});
          var lines = buffered.split("\n");
          buffered = lines.pop();
          lines.forEach(line);
          return pump();
        });
      }
      return pump().catch(function () {
        say(kpStatus, "The draft was interrupted. Your key points are kept; reload the note.");
      });
    });
  }

  // --- sections: edited in place, autosaved with the version; a stale save shows both texts ----------------------
  function sectionOf(form) { return form.closest(".note-section"); }

  function saveSection(form) {
    return enqueue(function () {
      var section = sectionOf(form);
      if (!form.isConnected || (section && section.querySelector(".conflict") && !form.closest(".conflict"))) {
        return;  // unresolved conflict: nothing is sent until the clinician chooses
      }
      var status = form.querySelector(".save-status");
      var text = form.querySelector("textarea[name=text]").value;
      if (savedText.get(form) === text) { return; }  // nothing new since the last save from this form
      say(status, "Saving…");
      return post(form.action, new FormData(form)).then(function (result) {
        if (result.status === 200) {
          savedText.set(form, text);
          setVersion(result.data.version);
          var own = section.querySelector("textarea[data-section-text]");
          if (own) { own.value = text; }
          var read = section.querySelector(".section-read");
          read.innerHTML = "";
          var p = document.createElement("p"); p.className = "edited-text"; p.textContent = text; read.appendChild(p);
          var box = section.querySelector(".conflict");
          if (box) { box.remove(); }
          say(section.querySelector("details .save-status"), "Saved (version " + result.data.version + ")");
          var findings = document.getElementById("findings");
          if (findings && result.data.findings) { findings.outerHTML = result.data.findings; }
        } else if (result.status === 409 && result.data.conflict) {
          var old = section.querySelector(".conflict");
          if (old) { old.remove(); }
          section.insertAdjacentHTML("beforeend", result.data.html);
          say(status, "Not saved: changed elsewhere");
        } else {
          say(status, result.data.error || "Not saved");
        }
      });
    });
  }

  // keep mine: saved against the current revision; take theirs: the saved text comes into the box, unsent
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset.fetch === "key-points") {
      event.preventDefault();
      var mine = form.querySelector("textarea[name=key_points]").value;
      enqueue(function () {
        return post(form.action, new FormData(form)).then(function (result) {
          if (result.status === 200) { keyPointsChosen(mine, result.data.key_points_revision); }
          else if (result.status === 409 && result.data.conflict) { showKeyPointsConflict(result.data); }
          else { say(kpStatus, result.data.error || "Not saved"); }
        });
      });
    } else if (form.dataset.takeKeyPoints) {
      event.preventDefault();
      keyPointsChosen(form.querySelector("textarea").value, form.dataset.takeKeyPoints);
    }
  });

  var savedText = new WeakMap();
  var sectionTimers = new WeakMap();
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset.fetch === "section") {
      event.preventDefault();
      clearTimeout(sectionTimers.get(form));
      saveSection(form);
    }
  });
  document.addEventListener("input", function (event) {
    var area = event.target;
    if (!area.matches || !area.matches("textarea[data-section-text][data-autosave]")) { return; }
    var form = area.form;
    clearTimeout(sectionTimers.get(form));
    sectionTimers.set(form, setTimeout(function () { saveSection(form); }, 1000));
  });

  // --- provenance: a sentence lights up the key points it came from --------------------------------------------
  function light(sentence, on) {
    var spans = (sentence.dataset.sources || "").split(" ").filter(Boolean).map(function (pair) {
      return pair.split("-").map(Number);
    });
    sentence.classList.toggle("active", on);
    document.querySelectorAll(".source-text .src").forEach(function (src) {
      var start = Number(src.dataset.start), end = Number(src.dataset.end);
      var hit = spans.some(function (s) { return start < s[1] && s[0] < end; });
      if (on && hit) { src.classList.add("lit"); } else if (!on) { src.classList.remove("lit"); }
    });
  }
  ["mouseover", "focusin"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      var sentence = event.target.closest && event.target.closest(".sentence");
      if (sentence) { light(sentence, true); }
    });
  });
  ["mouseout", "focusout"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      var sentence = event.target.closest && event.target.closest(".sentence");
      if (sentence) { light(sentence, false); }
    });
  });

  // --- the note's sentences: one tab stop as a group; the arrow keys (and Home, End) move inside it -------------
  // The template gives the first sentence tabindex 0 and the others -1; the one last focused keeps the tab stop.
  var ARROWS = {ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1};
  function moveTabStop(sentence) {
    document.querySelectorAll(".sentence[tabindex='0']").forEach(function (other) {
      if (other !== sentence) { other.tabIndex = -1; }
    });
    sentence.tabIndex = 0;
  }
  document.addEventListener("focusin", function (event) {
    if (event.target.matches && event.target.matches(".sentence")) { moveTabStop(event.target); }
  });
  document.addEventListener("keydown", function (event) {
    var sentence = event.target;
    if (!sentence.matches || !sentence.matches(".sentence") || event.altKey || event.ctrlKey || event.metaKey) { return; }
    var all = Array.prototype.slice.call(document.querySelectorAll("#draft .sentence"));
    var at = all.indexOf(sentence), to = -1;
    if (event.key in ARROWS) { to = Math.min(all.length - 1, Math.max(0, at + ARROWS[event.key])); }
    else if (event.key === "Home") { to = 0; }
    else if (event.key === "End") { to = all.length - 1; }
    if (to < 0) { return; }
    event.preventDefault();
    all[to].focus();
  });

  // --- a shortcut signs: Ctrl+Shift+Enter goes to what the Sign box still needs (each open warning, then the
  // password and whatever else it requires), and once nothing is missing, signs (co-signs, on a supervisor's note)
  document.addEventListener("keydown", function (event) {
    if (!(event.ctrlKey || event.metaKey) || !event.shiftKey || event.key !== "Enter") { return; }
    var form = document.getElementById("sign-form") || document.getElementById("cosign-form");
    if (!form) { return; }
    event.preventDefault();
    var needed = Array.prototype.find.call(form.elements, function (field) {
      return field.willValidate && !field.checkValidity();  // the form's own rules: required, in order
    });
    if (!needed) { form.requestSubmit(); return; }
    needed.focus();
    var label = needed.labels && needed.labels[0] ? needed.labels[0].textContent.trim() : "This field";
    say(form.querySelector(".sign-status"), needed.type === "checkbox"
      ? "Read this warning; Space acknowledges it." : label + ": type it, then Enter signs.");
  });

  // --- copy as plain text, for pasting into an EHR ----------------------------------------------------------------
  function sectionText(section) {
    var area = section.querySelector("textarea[data-section-text]");
    return area ? area.value : "";
  }
  // headings in the practice's chosen style, as exports/text.py writes them
  function heading(title, style) {
    if (style === "capitals") { return title.toUpperCase() + ":"; }
    if (style === "markdown") { return "## " + title; }
    return title + ":";
  }
  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) { return navigator.clipboard.writeText(text); }
    var area = document.createElement("textarea");
    area.value = text; document.body.appendChild(area); area.select();
    document.execCommand("copy"); area.remove();
    return Promise.resolve();
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-copy-section], #copy-all");
    if (!button) { return; }
    var text;
    if (button.id === "copy-all") {
      var pane = button.closest("[data-paste-headings]");
      var style = pane ? pane.dataset.pasteHeadings : "plain";
      text = Array.prototype.map.call(document.querySelectorAll(".note-section"), function (section) {
        return heading(section.dataset.title, style) + "\n" + sectionText(section);
      }).join("\n\n") + "\n";
    } else {
      text = sectionText(button.closest(".note-section"));
    }
    copy(text).then(function () { say(document.getElementById("copy-status"), "Copied"); });
  });

  // --- focus after a page change: the key points of a new note; else what the address points at, an error the
  // page came back with, or the main heading, so a screen reader starts where the page does -----------------------
  function focusHere(element) {
    if (!element.hasAttribute("tabindex")) { element.setAttribute("tabindex", "-1"); }
    element.focus();
  }
  (function placeFocus() {
    if (document.querySelector("[autofocus]")) { return; }  // the page chose (sign-in: the username)
    var target = location.hash.length > 1 && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    var error = document.querySelector("main .error[role=alert]");
    var heading = document.querySelector("main h1");
    if (draftForm && keyPoints && !draftForm.dataset.autosaveUrl) { keyPoints.focus(); }
    else if (error) { focusHere(error); }
    else if (target) { focusHere(target); }
    else if (heading) { focusHere(heading); }
  })();

  // --- inactivity: warned a minute ahead, then signed out (the server ends the session too) --------------------
  var idleMinutes = Number(body.dataset.idleMinutes || 0);
  var warning = document.getElementById("idle-warning");
  if (idleMinutes > 0 && warning) {
    // The server notes activity at most every 30 s (sign_in.TOUCH_EVERY): count from 30 s earlier, so this page
    // never believes in a session the server has already ended.
    var limit = idleMinutes * 60 * 1000 - 30 * 1000;
    var stay = document.getElementById("idle-stay");
    stay.addEventListener("click", function () {
      post("/still-here", new FormData()).then(function () { warning.hidden = true; });
    });
    var leaving = false;
    setInterval(function () {
      var left = limit - (Date.now() - lastContact);
      if (leaving) { return; }
      if (left <= 0) {
        leaving = true;
        var form = document.getElementById("sign-out-form");
        var reason = document.createElement("input");
        reason.type = "hidden"; reason.name = "reason"; reason.value = "idle";
        form.appendChild(reason);
        // what was typed in the last moments is saved first
        var last = (draftForm && keyPoints) ? saveKeyPoints() : Promise.resolve();
        last.then(function () { form.submit(); }, function () { form.submit(); });
      } else if (left <= 60 * 1000) {
        if (warning.hidden) { warning.hidden = false; stay.focus(); }
        say(document.getElementById("idle-seconds"), String(Math.ceil(left / 1000)));
      }
    }, 1000);
  }
})();
