"""Parameters typed by the study's space, and the suggest_* accessors of define-by-run code."""

import math


class Params(dict):
    """A trial's configuration: a dict of the active parameters, also readable as attributes (p.lr)."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(
                "parameter %r is not set in this trial (parameters: %s)" % (name, ", ".join(self) or "none")
            ) from None


def typed(raw, space):
    """Each value as its parameter's type says: a float stays a float even when it is 0."""
    out = Params()
    for name, value in raw.items():
        kind = (space.get(name) or {}).get("type")
        if kind == "float":
            value = float(value)
        elif kind == "int":
            value = int(value)
        elif kind == "bool":
            value = bool(value)
        out[name] = value
    return out


def _fmt(value):
    return repr(value)


class Suggest:
    """suggest_float/int/categorical over a declared space: each returns the value the tuner chose."""

    def __init__(self, params, space):
        self._params = params
        self._space = space

    def _declared(self, name, kinds, call):
        spec = self._space.get(name)
        if spec is None:
            raise KeyError(
                "%s(%r): the study's space has no parameter %r (parameters: %s); HPO Studio declares "
                "the space up front: add it to the study file" % (call, name, name, ", ".join(self._space) or "none")
            )
        if spec["type"] not in kinds:
            raise TypeError("%s(%r): %r is a %s parameter in the study's space" % (call, name, name, spec["type"]))
        if name not in self._params:
            raise KeyError(
                "%s(%r): %r is inactive in this trial (it is set when %s; this trial has %s)"
                % (call, name, name, _fmt(spec.get("when")), _fmt(dict(self._params)))
            )
        return spec

    @staticmethod
    def _check(call, name, spec, given):
        for key, value in given.items():
            if value is None:
                continue
            declared = spec.get(key, False if key == "log" else None)
            same = declared == value or (
                isinstance(declared, (int, float))
                and isinstance(value, (int, float))
                and not isinstance(value, bool)
                and math.isclose(declared, value, rel_tol=1e-9, abs_tol=0.0)
            )
            if not same:
                raise ValueError(
                    "%s(%r): %s=%r differs from the study's space, which declares %s=%r"
                    % (call, name, key, value, key, declared)
                )

    def suggest_float(self, name, low=None, high=None, *, step=None, log=None):
        spec = self._declared(name, ("float",), "suggest_float")
        self._check("suggest_float", name, spec, {"low": low, "high": high, "step": step, "log": log})
        return float(self._params[name])

    def suggest_int(self, name, low=None, high=None, *, step=None, log=None):
        spec = self._declared(name, ("int",), "suggest_int")
        self._check("suggest_int", name, spec, {"low": low, "high": high, "step": None if step == 1 else step, "log": log})
        return int(self._params[name])

    def suggest_categorical(self, name, choices=None):
        spec = self._declared(name, ("categorical", "bool"), "suggest_categorical")
        declared = spec.get("choices", [False, True])
        if choices is not None and list(choices) != list(declared) and set(map(repr, choices)) != set(map(repr, declared)):
            raise ValueError(
                "suggest_categorical(%r): choices %r differ from the study's space, which declares %r"
                % (name, list(choices), declared)
            )
        return self._params[name]
