"""Client settings: `initializationOptions` and `workspace/didChangeConfiguration`, key `blamelint`.

The names match the VS Code extension's settings (lsp/vscode/package.json).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from blamelint.config import Config
from blamelint.findings import CATEGORIES, SEVERITIES
from blamelint.limits import MAX_BYTES


@dataclass
class Settings:
    enable: bool = True
    profile: str | None = None
    categories: dict[str, bool] = field(default_factory=dict)
    severity: dict[str, str] = field(default_factory=dict)
    min_confidence: float | None = None
    quotes: str | None = None
    debounce_ms: int = 25
    config_path: str | None = None
    max_size: int = MAX_BYTES  # a larger document (in UTF-8 bytes) is not linted, as `check --max-size`

    @classmethod
    def parse(cls, raw: Any) -> tuple[Settings, list[str]]:
        """Settings from a client payload, and messages for anything ignored (bad values fall back)."""
        errors: list[str] = []
        if isinstance(raw, dict) and isinstance(raw.get("blamelint"), dict):
            raw = raw["blamelint"]
        if raw is None:
            return cls(), errors
        if not isinstance(raw, dict):
            return cls(), [f"settings must be an object, got {type(raw).__name__}"]
        s = cls()

        def take(key, check, attr, convert=lambda v: v):
            if key in raw and raw[key] is not None:
                if check(raw[key]):
                    setattr(s, attr, convert(raw[key]))
                else:
                    errors.append(f"setting '{key}': invalid value {raw[key]!r}")

        take("enable", lambda v: isinstance(v, bool), "enable")
        take("profile", lambda v: v in ("default", "public"), "profile")
        take("categories", lambda v: isinstance(v, dict) and all(
            k in CATEGORIES and isinstance(x, bool) for k, x in v.items()), "categories")
        take("severity", lambda v: isinstance(v, dict) and all(x in SEVERITIES for x in v.values()), "severity")
        take("minConfidence", lambda v: isinstance(v, (int, float)) and 0 <= v <= 1, "min_confidence", float)
        take("quotes", lambda v: v in ("ignore", "check"), "quotes")
        take("debounceMs", lambda v: isinstance(v, int) and 0 <= v <= 5000, "debounce_ms")
        take("configPath", lambda v: isinstance(v, str), "config_path")
        take("maxSize", lambda v: isinstance(v, int) and not isinstance(v, bool) and v > 0, "max_size")
        return s, errors

    def apply(self, config: Config) -> Config:
        """The config with these settings laid over it."""
        changes: dict[str, Any] = {}
        if self.profile:
            changes["profile"] = self.profile
        if self.severity:
            changes["severity"] = {**config.severity, **self.severity}
        if self.min_confidence is not None:
            changes["min_confidence"] = self.min_confidence
        if self.quotes:
            changes["quotes"] = self.quotes
        off = [c for c, on in self.categories.items() if not on]
        if off:
            changes["ignore"] = config.ignore + off
        return replace(config, **changes) if changes else config
