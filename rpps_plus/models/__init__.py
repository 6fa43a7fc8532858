from .ecps import ECps, ECpsChallenge, ECpsState
from .intake import BulkImport, BulkImportState, SignUp
from .professional import (
    LIVE_SITUATION_STATES,
    Civility,
    Origin,
    Professional,
    RppsAllocator,
    Situation,
    SituationState,
)

__all__ = [
    "LIVE_SITUATION_STATES", "BulkImport", "BulkImportState", "Civility", "ECps", "ECpsChallenge", "ECpsState",
    "Origin", "Professional", "RppsAllocator", "SignUp", "Situation", "SituationState",
]
