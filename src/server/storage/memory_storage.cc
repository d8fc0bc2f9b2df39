#include "server/storage/storage.h"

namespace mm::storage {
namespace {

class MemoryStorage : public Storage {
 public:
  void PutCollection(const std::string&, const Document&) override {}
  void DropCollection(const std::string&) override {}
  void RenameCollection(const std::string&, const std::string&) override {}
  void PutDocument(const std::string&, RecordId, const Document&) override {}
  void DeleteDocument(const std::string&, RecordId) override {}
  void Load(const std::function<void(const std::string&, const Document&)>&,
            const std::function<void(const std::string&, RecordId, Document)>&) override {}
};

}  // namespace

std::unique_ptr<Storage> MakeMemoryStorage() { return std::make_unique<MemoryStorage>(); }

}  // namespace mm::storage
