/* stop_instance.c - StopInstance: Running -> Stopping -> Stopped, with
 * StoppedMode KeepCharging (default) or StopCharging. ForceStop changes
 * nothing ecsd can show: both stop after the transition delay. */
#include "act.h"
#include <string.h>


enum err_id act_stop_instance(struct req *r)
{
	const char *mode = param_str(r, PARAM_StoppedMode, "KeepCharging");

	if (strcmp(mode, "KeepCharging") != 0 && strcmp(mode, "StopCharging") != 0)
		return api_raise(r, ERR_INVALID_PARAMETER, "StoppedMode");
	return act_transition(r, TR_STOP, mode);
}
