"""One module per report kind; each ``build(start, end)`` returns the report's figures dict
(see ``common``), from which the PDF and the XLSX are both drawn."""

from reports.models import ReportKind

from . import asset_quality, classification, collections

BUILDERS = {
    ReportKind.ASSET_QUALITY: asset_quality.build,
    ReportKind.CLASSIFICATION: classification.build,
    ReportKind.COLLECTIONS: collections.build,
}
