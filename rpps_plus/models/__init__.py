from .ecps import CardHolderMobile, ECps, ECpsChallenge, ECpsLogin, ECpsState
from .intake import BulkImport, BulkImportState, SignUp
from .national import NationalActivity
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
    "LIVE_SITUATION_STATES", "BulkImport", "BulkImportState", "CardHolderMobile", "Civility", "ECps", "ECpsChallenge",
    "ECpsLogin", "ECpsState", "NationalActivity",
    "Origin", "Professional", "RppsAllocator", "SignUp", "Situation", "SituationState",
]
