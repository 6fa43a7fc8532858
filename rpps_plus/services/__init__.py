"""Acts of RPPS+ (STYLE.md convention 3): one function per act, called by views, API, admin, timed
steps, commands and tests. One module per sub-domain."""

from .bulk import bulk_import_confirm, bulk_import_preview  # noqa: F401
from .ecps import (  # noqa: F401
    ecps_activate,
    ecps_login_start,
    ecps_login_verify,
    ecps_request_codes,
    holder_mobile_set,
)
from .registration import (  # noqa: F401
    professional_leave,
    professional_register,
    professional_update_contact,
    situation_accept_profession,
    situation_change_role,
    situation_end,
    situation_refuse,
    situation_reject_profession,
    situation_validate,
)
from .rights import rpps_right_grant, rpps_right_withdraw  # noqa: F401
from .signup import signup_start, signup_verify  # noqa: F401
from .timeline import ecps_invite, rpps_number_send, situation_publish  # noqa: F401
