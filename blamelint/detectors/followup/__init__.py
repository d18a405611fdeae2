"""Follow-ups: the `followup` detector (`check`), its test for vague actions (`vagueness`) and its
fixes (`fixes`). The items themselves, their owners and dates are read by `blamelint.detectors.items`."""

from blamelint.detectors.followup import check  # noqa: F401 (registers the detector)
