// Fault injection for tests, as mongod's fail points: a named point in a run where the process
// can be made to stop (SIGSTOP, a stalled VM) or die (SIGKILL), so that the tests can pause
// or kill a runner at each point and check what the next runner finds.
//
// Set MONGO_MIGRATE_TEST_FAULT=ACTION:POINT[@VERSION], ACTION = pause | kill. Unset, a point
// costs one cached lookup.
#pragma once

#include <cstdint>
#include <string_view>

namespace mm::runner {

// Points: after-lock, after-plan, before-claim, after-claim, after-step (between two steps),
// after-run (before the result is recorded), after-record.
void FaultPoint(std::string_view point, int64_t version = 0);

}  // namespace mm::runner
