// Tailable cursors on capped collections (find's `tailable` and `awaitData`): the cursor
// stays open after its last document, and each getMore returns what was inserted since.
//
// With awaitData, mongod holds a getMore for up to its maxTimeMS (1 s by default) waiting for
// new documents; devmongod answers at once with what there is (an empty batch when nothing
// came), which is a reply mongod also gives, only sooner (KNOWN_DIFFERENCES.md).
#pragma once

#include "server/commands/command.h"
#include "server/commands/cursor_store.h"

namespace mm::commands {

// Checks find's tailable options as mongod does: awaitData needs tailable (9), a tailable
// cursor needs a capped collection (2) and no sort other than {$natural: 1} (2).
Status CheckTailable(const Document& cmd, const engine::Collection* coll);

// Before a getMore on the tailable cursor `id`: adds what its collection received since.
// Fails with QueryPlanKilled (175) when the collection was dropped (the cursor is closed).
Status RefillTail(CursorStore& cursors, int64_t id, engine::Catalog& catalog);

}  // namespace mm::commands
