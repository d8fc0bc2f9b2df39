#include "mongomigrate/migration.h"

namespace mm {
namespace {

class FunctionAction : public MigrationAction {
 public:
  explicit FunctionAction(Registry::FunctionWithOutput fn) : fn_(std::move(fn)) {}
  Status Run(mongo::Database& db, const ActionOutput& out) const override { return fn_(db, out); }
  std::optional<std::vector<std::string>> Collections() const override { return collections_; }
  void Declare(std::vector<std::string> collections) { collections_ = std::move(collections); }
  std::vector<std::string> Describe() const override {
    return {"(C++: its commands are known only when it runs)"};
  }
  // A C++ migration's commands are not known before it runs (it may build indexes, which
  // MongoDB refuses in a transaction), so it runs outside one, as before transactions.
  std::string TransactionBlocker() const override {
    return "a C++ migration runs outside a transaction";
  }

 private:
  Registry::FunctionWithOutput fn_;
  std::optional<std::vector<std::string>> collections_;
};

Registry::FunctionWithOutput WithOutput(Registry::Function fn) {
  if (!fn) return {};
  return [fn = std::move(fn)](mongo::Database& db, const ActionOutput&) { return fn(db); };
}

}  // namespace

Registry& Registry::Add(int64_t version, std::string description, Function up, Function down) {
  return Add(version, std::move(description), WithOutput(std::move(up)),
             WithOutput(std::move(down)));
}

Registry& Registry::Add(int64_t version, std::string description, FunctionWithOutput up,
                        FunctionWithOutput down) {
  Migration m;
  m.version = version;
  m.description = std::move(description);
  m.up = std::make_shared<FunctionAction>(std::move(up));
  if (down) m.down = std::make_shared<FunctionAction>(std::move(down));
  migrations_.push_back(std::move(m));
  return *this;
}

Registry& Registry::Touching(std::vector<std::string> collections) {
  if (migrations_.empty()) return *this;
  Migration& last = migrations_.back();
  // Fresh actions: a Migration copied out of this registry before keeps what it had.
  for (auto* action : {&last.up, &last.down}) {
    if (!*action) continue;
    auto declared = std::make_shared<FunctionAction>(static_cast<const FunctionAction&>(**action));
    declared->Declare(collections);
    *action = std::move(declared);
  }
  return *this;
}

}  // namespace mm
