"""Reads of a fixed shape whose SQL is compiled once per database connection object.

Django turns a queryset into SQL every time it runs. For a read that joins several tables that
compile costs far more than the query: loading a conversation with its account, listing, unit, agent
and showing takes ~0.7 ms of Python to compile and ~0.1 ms to run, on every triaged message. A
`CompiledQuery` compiles its queryset once, with marker values where its parameters go, and then runs
that SQL with the real values; Django's own model iterable still builds the instances (related
objects, field converters and all), so what comes back is what the queryset would have returned.

Only plain values go in: ints and strings that are compared as they are (a primary key, a status,
an intent). Anything Django would adapt on the way (dates, model instances, lists) needs the ordinary
queryset.
"""

import copy
import threading
import weakref

from django.db import connections
from django.db.transaction import TransactionManagementError

_INT_MARKER = -7_340_032_211  # no primary key or count is ever this
_STR_MARKER = "\x00leasebot-compiled-{}\x00"


class CompiledQuery:
    """`build(**params)` returns the queryset; `params` names each parameter's type (int or str)."""

    def __init__(self, build, **params):
        for name, kind in params.items():
            if kind not in (int, str):
                raise TypeError(f"{name}: only int and str parameters can be compiled, not {kind!r}")
        self._build = build
        self._params = params
        self._markers = {
            name: (_INT_MARKER - n if kind is int else _STR_MARKER.format(n))
            for n, (name, kind) in enumerate(params.items())
        }
        # One compiled form per connection object: a compiler is bound to its connection, and Django
        # keeps one connection object per thread.
        self._compiled = weakref.WeakKeyDictionary()
        self._compiling = threading.Lock()
        self._template = None  # the queryset built with the markers, once

    def all(self, **values):
        """The rows as a list of model instances."""
        queryset, compiler = self._ready(values)
        return list(_Bound(queryset, compiler))

    def get(self, **values):
        """Exactly one row, raising the model's DoesNotExist / MultipleObjectsReturned like `.get()`."""
        rows = self.all(**values)
        if len(rows) == 1:
            return rows[0]
        model = self._queryset().model
        if not rows:
            raise model.DoesNotExist(f"{model._meta.object_name} matching query does not exist.")
        raise model.MultipleObjectsReturned(f"get() returned more than one {model._meta.object_name}.")

    def first(self, **values):
        rows = self.all(**values)
        return rows[0] if rows else None

    # ---- compiling and binding ----
    def _queryset(self):
        if self._template is None:
            template = self._build(**self._markers)
            if template._prefetch_related_lookups:
                raise ValueError("prefetch_related runs more queries: it cannot be compiled into one")
            self._template = template
        return self._template

    def _ready(self, values):
        if set(values) != set(self._params):
            raise TypeError(f"expected parameters {sorted(self._params)}, got {sorted(values)}")
        template = self._queryset()
        connection = connections[template.db]
        if template.query.select_for_update and not connection.in_atomic_block:
            raise TransactionManagementError("select_for_update cannot be used outside of a transaction.")
        compiled = self._compiled.get(connection)
        if compiled is None:
            with self._compiling:
                compiled = self._compiled.get(connection) or self._compile(template, connection)
                self._compiled[connection] = compiled
        queryset, compiler, sql, params, slots = compiled
        bound = list(params)
        for position, name in slots:
            bound[position] = self._params[name](values[name])
        ready = copy.copy(compiler)
        ready.as_sql = lambda *args, **kwargs: (sql, tuple(bound))
        return queryset, ready

    def _compile(self, template, connection):
        compiler = template.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        by_marker = {marker: name for name, marker in self._markers.items()}
        slots = [(n, by_marker[p]) for n, p in enumerate(params) if _is_marker(p, by_marker)]
        missing = set(self._params) - {name for _, name in slots}
        if missing:
            raise ValueError(f"parameters {sorted(missing)} do not reach the SQL as plain values")
        # Compiling filled the compiler's select list and converters: later runs skip both.
        fields = [s[0] for s in compiler.select[0 : compiler.col_count]]
        converters = compiler.get_converters(fields)
        compiler.get_converters = lambda expressions: converters
        return template, compiler, sql, tuple(params), slots


def _is_marker(value, by_marker):
    return type(value) in (int, str) and value in by_marker


class _Bound:
    """Runs a queryset's model iterable with a compiler that already holds its SQL."""

    def __init__(self, template, compiler):
        self._queryset = template._chain()
        # Django's iterable asks the query for a compiler; this query hands it the one made ready.
        self._queryset.query.get_compiler = lambda *args, **kwargs: compiler

    def __iter__(self):
        return iter(self._queryset._iterable_class(self._queryset))
