"""The command line's list of import/export kinds is the importer's own, in its order."""

from store.importing import KINDS
from store.kind_names import IMPORT_KINDS


def test_the_command_line_offers_exactly_the_kinds_the_importer_reads():
    assert tuple(KINDS) == IMPORT_KINDS
