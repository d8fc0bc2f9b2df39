#include "backup/dump_reader.h"

#include "value/bson_codec.h"

namespace mm::backup {

Status ReadDocuments(std::istream& in, const std::string& name,
                     const std::function<Status(Document&&, size_t)>& each) {
  std::string bytes;
  int64_t offset = 0;
  while (true) {
    unsigned char length_bytes[4];
    in.read(reinterpret_cast<char*>(length_bytes), 4);
    if (in.gcount() == 0 && in.eof() && !in.bad()) break;  // the end, at a document boundary
    const int64_t length = int64_t{length_bytes[0]} | int64_t{length_bytes[1]} << 8 |
                           int64_t{length_bytes[2]} << 16 | int64_t{length_bytes[3]} << 24;
    if (in.bad() || in.gcount() != 4 || length < 5 ||
        length > static_cast<int64_t>(kMaxUserDocumentSize) + 16 * 1024) {
      return Status(kFailedToParse, name + ": a document at byte " + std::to_string(offset) +
                                        " has a bad length; the file is damaged or truncated");
    }
    bytes.assign(reinterpret_cast<char*>(length_bytes), 4);
    bytes.resize(static_cast<size_t>(length));
    in.read(bytes.data() + 4, length - 4);
    if (in.bad() || in.gcount() != length - 4) {
      return Status(kFailedToParse,
                    name + ": truncated in the document at byte " + std::to_string(offset));
    }
    auto doc = DecodeBson(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
    if (!doc.ok()) {
      return Status(kFailedToParse, name + ": the document at byte " + std::to_string(offset) +
                                        ": " + doc.status().message());
    }
    offset += length;
    MM_RETURN_IF_ERROR(each(std::move(doc).value(), bytes.size()));
  }
  return Status::Ok();
}

}  // namespace mm::backup
