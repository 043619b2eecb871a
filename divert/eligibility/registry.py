"""Keep every loaded version of every policy; refuse a broken one, keep the last good.

Pure Python: the Django side persists versions later and can rebuild a registry from them.

>>> reg = PolicyRegistry()
>>> reg.load("policies/seattle-2011.toml").version
'2011.1'
>>> reg.active("seattle").key, reg.versions("seattle")
(('seattle', '2011.1'), ['2011.1'])
"""

from __future__ import annotations

from pathlib import Path

from divert.eligibility.errors import PolicyError
from divert.eligibility.loading import load_policy, parse_policy
from divert.eligibility.policy import Policy


class PolicyRegistry:
    def __init__(self) -> None:
        self._versions: dict[str, dict[str, Policy]] = {}
        self._active: dict[str, str] = {}

    def add(self, policy: Policy) -> Policy:
        """Register a validated policy and make it the active version of its id.

        Re-adding an identical version is a no-op; a different policy under a version
        that already exists is refused, because decisions cite (id, version).
        """
        pid, version = policy.key
        known = self._versions.setdefault(pid, {})
        if version in known and known[version].model_dump() != policy.model_dump():
            raise PolicyError(
                f"policy {pid!r} version {version!r} is already registered with different "
                "rules; give the changed policy a new version",
                key="version",
            )
        known.setdefault(version, policy)
        self._active[pid] = version
        return known[version]

    def load(self, path: str | Path) -> Policy:
        """Load a file and add it. On PolicyError nothing changes: the previous version stays."""
        return self.add(load_policy(path))

    def load_text(self, text: str, source: str = "<policy>") -> Policy:
        return self.add(parse_policy(text, source))

    def active(self, policy_id: str) -> Policy:
        try:
            return self._versions[policy_id][self._active[policy_id]]
        except KeyError:
            raise KeyError(f"no policy {policy_id!r} is loaded") from None

    def get(self, policy_id: str, version: str | int) -> Policy:
        try:
            return self._versions[policy_id][str(version)]
        except KeyError:
            raise KeyError(f"policy {policy_id!r} has no version {version!r}") from None

    def activate(self, policy_id: str, version: str | int) -> Policy:
        """Make an already loaded version active again, e.g. to roll back."""
        policy = self.get(policy_id, version)
        self._active[policy_id] = str(version)
        return policy

    def versions(self, policy_id: str) -> list[str]:
        """Versions in the order they were loaded."""
        return list(self._versions.get(policy_id, {}))

    def ids(self) -> list[str]:
        return sorted(self._versions)
