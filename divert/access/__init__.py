"""The one access policy: who may do what with which kind of record.

Pages, the API and every export call `require` (or `can`) and scope their querysets with
`visible`; nothing else decides access.
"""

from divert.access.enforce import can, permitted, platform_wide, require, visible
from divert.access.kinds import Action, Kind
from divert.access.policy import MATRIX

__all__ = ["MATRIX", "Action", "Kind", "can", "permitted", "platform_wide", "require", "visible"]
