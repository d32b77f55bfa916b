"""Ask and tell from your own process (a notebook, a training script) against a running
`hpo-studio serve`: the study's tuner proposes, you train and tell. The study's objective kind is
`external`; a trial whose process stops sending reports or heartbeats is interrupted and asked again."""

import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

from ._objective import TrialPruned, _finite
from ._space import Suggest, typed

API = "/client/v1/"


class HpoStudioError(Exception):
    """An error the server answered with: `code` to branch on (STUDY_NOT_FOUND, TRIAL_NOT_OWNED,
    ALREADY_TOLD, TRIAL_EXPIRED, BUDGET_SPENT, BUSY, NOT_EXTERNAL, BAD_ARGS, …) and a message."""

    def __init__(self, code, message):
        super().__init__("%s: %s" % (code, message))
        self.code = code
        self.message = message


class _Connection:
    def __init__(self, url, token, timeout):
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError("hs.connect(): expected the URL hpo-studio serve printed, got %r" % (url,))
        query = urllib.parse.parse_qs(parts.query)
        self.token = token or (query.get("token") or [None])[0]
        if not self.token:
            raise ValueError("hs.connect(): the URL has no ?token=…; pass token= or use the URL serve printed")
        self.base = "%s://%s" % (parts.scheme, parts.netloc)
        self.timeout = timeout

    def call(self, method, body):
        request = urllib.request.Request(
            self.base + API + method,
            data=json.dumps(body, allow_nan=False).encode("utf-8"),
            method="POST",
            headers={"Content-Type": "application/json", "Authorization": "Bearer " + self.token},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                answer = json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as e:
            text = e.read().decode("utf-8", "replace")
            try:
                answer = json.loads(text)
            except ValueError:
                raise HpoStudioError("HTTP_%d" % e.code, text.strip() or e.reason) from None
        except urllib.error.URLError as e:
            raise HpoStudioError("UNREACHABLE", "cannot reach %s: %s" % (self.base, e.reason)) from None
        if not answer.get("ok"):
            error = answer.get("error") or {}
            raise HpoStudioError(error.get("code", "ERROR"), error.get("message", str(answer)))
        return answer["value"]


class Trial(Suggest):
    """A trial the study's tuner proposed for this process: params, report(), should_prune(), suggest_*."""

    def __init__(self, study, number, ticket, params, heartbeat_seconds):
        self.study = study
        self.number = number
        self.params = typed(params, study.space)
        self._ticket = ticket
        self._prune = False
        self._done = threading.Event()
        Suggest.__init__(self, self.params, study.space)
        # The heartbeat proves this process is alive while it trains between reports.
        self._beat = threading.Thread(target=self._heartbeat, args=(max(0.5, heartbeat_seconds / 3.0),), daemon=True)
        self._beat.start()

    def _call(self, method, **body):
        return self.study._conn.call(method, dict(body, study=self.study.name, trial=self.number, ticket=self._ticket))

    def _heartbeat(self, every):
        while not self._done.wait(every):
            try:
                self._prune = self._call("heartbeat")["prune"] or self._prune
            except HpoStudioError:
                return

    def report(self, step, value):
        """An intermediate value; the study's pruner decides at once (see should_prune())."""
        step, value = _finite("report", "step", step), _finite("report", "value", value)
        self._prune = self._call("report", step=step, value=value)["prune"]

    def should_prune(self):
        return self._prune

    def set_user_attr(self, key, value):
        self._call("attr", key=key, value=value)

    attr = set_user_attr

    def __repr__(self):
        return "Trial(number=%d, params=%r)" % (self.number, dict(self.params))


class Study:
    """A study of a running `hpo-studio serve`, for ask and tell."""

    def __init__(self, conn, info):
        self._conn = conn
        self.name = info["study"]
        self.direction = info["direction"]
        self.metric = info["metric"]
        self.space = info["space"]

    def ask(self, wait_seconds=600):
        """The next trial: a re-asked interrupted one first, then queued ones, then the tuner's proposal.
        Waits (up to wait_seconds) while every concurrency slot is taken by another client's trial."""
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                r = self._conn.call("ask", {"study": self.name})
                return Trial(self, r["number"], r["ticket"], r["params"], r["heartbeatSeconds"])
            except HpoStudioError as e:
                if e.code != "BUSY" or time.monotonic() > deadline:
                    raise
                time.sleep(0.5)

    def tell(self, trial, value=None, state=None, error=None):
        """Finishes a trial: a value (complete), or state="pruned" or state="failed" (error: why)."""
        state = state or ("complete" if value is not None else "failed")
        body = {"study": self.name, "trial": trial.number, "ticket": trial._ticket, "state": state}
        if value is not None:
            body["value"] = _finite("tell", "value", value)
        if error is not None:
            body["error"] = str(error)[:2000]
        trial._done.set()
        return self._conn.call("tell", body)

    def optimize(self, fn, n_trials, catch=()):
        """Define-by-run: fn(trial) returns the value; trial.suggest_float(name) and the like read the
        parameters the study's space declares. Stops early when the study's budget is spent."""
        for _ in range(n_trials):
            try:
                trial = self.ask()
            except HpoStudioError as e:
                if e.code == "BUDGET_SPENT":
                    return
                raise
            try:
                value = fn(trial)
            except TrialPruned:
                self._tell_once(trial, state="pruned")
                continue
            except catch as e:
                self._tell_once(trial, state="failed", error=repr(e))
                continue
            except BaseException as e:
                self._tell_once(trial, state="failed", error=repr(e))
                raise
            self._tell_once(trial, value)

    def _tell_once(self, trial, value=None, state=None, error=None):
        try:
            self.tell(trial, value, state=state, error=error)
        except HpoStudioError as e:
            # Given up while it ran (no heartbeat in time) or ended here: the study asks it again.
            if e.code not in ("TRIAL_EXPIRED", "CANCELLED"):
                raise


def connect(url, name, token=None, timeout=30):
    """The study `name` of the `hpo-studio serve` at url (the URL it printed, with its ?token=)."""
    conn = _Connection(url, token, timeout)
    return Study(conn, conn.call("connect", {"study": name}))
