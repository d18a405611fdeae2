"""The post-mortem template: the `template` detector (`checks`) and what it reads of a post-mortem
(`reading`: Key Facts, timestamps, severity, theme tags, placeholders), which the archive report
reads too."""

from blamelint.detectors.template import checks  # noqa: F401 (registers the detector)
