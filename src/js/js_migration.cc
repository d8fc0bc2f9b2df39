#include "js/js_migration.h"

#include "js/engine.h"
#include "js/js_file.h"

namespace mm::js {
namespace {

class JsAction : public MigrationAction {
 public:
  JsAction(std::string file, int index, std::string direction, std::optional<bool> transaction,
           std::optional<std::vector<std::string>> collections)
      : file_(std::move(file)),
        index_(index),
        direction_(std::move(direction)),
        transaction_(transaction),
        collections_(std::move(collections)) {}

  // What the file's `collections` export says; unknown without it.
  std::optional<std::vector<std::string>> Collections() const override { return collections_; }

  Status Run(mongo::Database& db, const ActionOutput& out) const override {
    auto engine = Engine::Get();
    if (!engine.ok()) return engine.status();
    Status s = (*engine)->Run(index_, direction_, db, out);
    if (s.ok()) return s;
    Document details = s.details();
    details.Set("codeName", CodeName(s.code()));
    return s.Reworded(file_ + ": " + direction_ + "() failed: " + s.message())
        .WithDetails(std::move(details));
  }

  std::vector<std::string> Describe() const override {
    return {direction_ + "() in " + file_ +
            " (JavaScript: its commands are known only when it runs)"};
  }

  // A JavaScript migration's commands are not known before it runs, so it joins a
  // transaction only when it says it can.
  std::string TransactionBlocker() const override {
    if (transaction_ == true) return "";
    if (transaction_ == false) return "the module exports transaction: false";
    return "a JavaScript migration runs in a transaction only if it exports transaction: true";
  }

 private:
  std::string file_;
  int index_;
  std::string direction_;
  std::optional<bool> transaction_;
  std::optional<std::vector<std::string>> collections_;
};

}  // namespace

StatusOr<std::string> JsModuleExports(const std::filesystem::path& path, const std::string& bytes) {
  auto engine = Engine::Get();
  if (!engine.ok()) return engine.status();
  return (*engine)->Exports(std::filesystem::absolute(path).lexically_normal().string(), bytes);
}

StatusOr<Migration> LoadJsMigration(const std::filesystem::path& path, const std::string& bytes) {
  const std::string file = path.filename().string();
  const std::string shown = path.string();
  size_t digits = 0;
  auto named = NameVersion(path, &digits);
  if (!named.ok()) return named.status();
  const int64_t name_version = *named;
  auto engine = Engine::Get();
  if (!engine.ok()) return engine.status();
  auto info = (*engine)->Load(std::filesystem::absolute(path).lexically_normal().string(), bytes);
  if (!info.ok()) return Status(info.status().code(), info.status().message());
  if (info->version_invalid) {
    return Status(kFailedToParse, shown + ": `version` must be a positive whole number");
  }
  if (info->version && *info->version != name_version) {
    return Status(kFailedToParse, shown + ": `version` is " + std::to_string(*info->version) +
                                      " but the file name says " + std::to_string(name_version) +
                                      "; make them agree");
  }
  if (!info->has_up) {
    return Status(kFailedToParse,
                  shown +
                      ": `up` is missing: export an async function up(db, client) — "
                      "module.exports = { up: async (db) => { … } }");
  }
  Migration m;
  m.version = name_version;
  m.file = file;
  m.description = !info->description.empty() ? info->description : NameWords(file, digits);
  if (info->collections_invalid) {
    return Status(kFailedToParse, shown +
                                      ": `collections` must be an array of collection names, "
                                      "e.g. collections: ['users', 'orders']");
  }
  m.up = std::make_shared<JsAction>(file, info->index, "up", info->transaction, info->collections);
  if (info->has_down) {
    m.down =
        std::make_shared<JsAction>(file, info->index, "down", info->transaction, info->collections);
  }
  return m;
}

}  // namespace mm::js
