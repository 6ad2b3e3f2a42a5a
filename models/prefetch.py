"""Reading related records in fewer queries than attribute access does."""

from collections import defaultdict


def prefetch(records):
    """Fill the cache with the fields Odoo reads of ``records`` at their first access, for
    all of them in one query (what reading one field of the recordset does). Records that
    the cache holds already are skipped (see ``fetch_missing``)."""
    if records:
        fetch_missing(
            records,
            [
                fname
                for fname, field in records._fields.items()
                if field.prefetch is True and field.is_accessible(records.env)
            ],
        )


def fetch_missing(records, field_names):
    """``records.fetch(field_names)`` for the records that miss one of the fields in the
    cache: fetching records already in cache reads nothing, but still evaluates the record
    rules on them in Python."""
    cache = records.env.cache
    missing = set()
    for fname in field_names:
        missing.update(cache.get_missing_ids(records, records._fields[fname]))
    records.browse(missing).fetch(field_names)


def prefetch_one2many(records, fname):
    """Read the one2many ``fname`` of ``records`` with its lines' stored fields in one
    query, where reading the relation, then a field of its lines, takes two. Returns the
    lines of ``records``."""
    field = records._fields[fname]
    missing = records.browse(records.env.cache.get_missing_ids(records, field))
    if missing:
        # the lines the relation gives (all of them, in their model's order), read with
        # the user's rights like the relation
        comodel = records.env[field.comodel_name].with_context(**{"active_test": False, **field.context})
        lines = comodel.search_fetch(
            [(field.inverse_name, "in", missing.ids)],
            stored_fields(comodel),
        )
        by_record = defaultdict(list)
        for line in lines:
            by_record[line[field.inverse_name].id].append(line.id)
        records.env.cache.insert_missing(missing, field, [tuple(by_record[id_]) for id_ in missing._ids])
    return records[fname]


def stored_fields(model):
    """The fields of ``model`` that are columns of its table: what reading a record fetches."""
    return tuple(fname for fname, field in model._fields.items() if field.store and field.column_type and fname != "id")


def cached_values(records, fnames=None):
    """(field names, ((id, values as the ORM caches them), ...)) of ``records``, fetched:
    of ``fnames``, else of their stored fields."""
    fnames = tuple(fnames or stored_fields(records))
    records.fetch(fnames)
    cache = records.env.cache
    fields_ = [records._fields[fname] for fname in fnames]
    return fnames, tuple((record.id, tuple(cache.get(record, field) for field in fields_)) for record in records)


def insert_values(model, fnames, rows):
    """Put ``rows`` of ``cached_values`` in the cache, unless it holds them; returns their records."""
    records = model.browse([record_id for record_id, _values in rows])
    for index, fname in enumerate(fnames):
        model.env.cache.insert_missing(records, model._fields[fname], [values[index] for _id, values in rows])
    return records
