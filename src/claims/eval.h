// The declarations of eval are part of the public claims API:
// include/echotrace/claims.h. This header remains so that the library's own
// sources keep their includes.
#ifndef ECHOTRACE_CLAIMS_EVAL_H_
#define ECHOTRACE_CLAIMS_EVAL_H_

#include "echotrace/claims.h"

#endif  // ECHOTRACE_CLAIMS_EVAL_H_
