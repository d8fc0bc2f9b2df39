// Dotted field paths ("a.b.0.c") over documents, with MongoDB's two ways of walking them:
// the query way (arrays are traversed implicitly) and the update way (exact positions).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "mongomigrate/status.h"
#include "mongomigrate/value.h"

namespace mm::engine {

std::vector<std::string> SplitPath(std::string_view path);
// A non-negative decimal without leading zeros, as MongoDB treats array positions in paths.
bool IsArrayIndex(std::string_view part, size_t* index);

// One value a query path reaches. `array_position` is the index taken in the first array
// traversed on the way (what the positional `$` operator refers to), or -1.
struct PathValue {
  const Value* value;
  int array_position;
};

// Every value `path` reaches in `doc` the way queries walk it: a document field by name; an
// array both by numeric position and by descending into each element. `missing` is set when
// some branch ends before the path does (what makes `{path: null}` match).
void CollectPathValues(const Document& doc, const std::vector<std::string>& path,
                       std::vector<PathValue>* out, bool* missing);

// The value at `path` exactly (numeric parts index arrays), or nullptr.
const Value* GetExact(const Document& doc, const std::vector<std::string>& path);

// The slot for `path`, creating missing documents along the way. Fails with PathNotViable
// when a part crosses a scalar, or when it indexes an array with a non-numeric name.
StatusOr<Value*> CreatePath(Document* doc, const std::vector<std::string>& path);

// Removes the field at `path`; array elements are set to null, as $unset does.
void RemoveExact(Document* doc, const std::vector<std::string>& path);

std::string JoinPath(const std::vector<std::string>& path, size_t end);

}  // namespace mm::engine
