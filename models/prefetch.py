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
            [name for name, line_field in comodel._fields.items() if line_field.store and line_field.column_type],
        )
        by_record = defaultdict(list)
        for line in lines:
            by_record[line[field.inverse_name].id].append(line.id)
        records.env.cache.insert_missing(missing, field, [tuple(by_record[id_]) for id_ in missing._ids])
    return records[fname]
