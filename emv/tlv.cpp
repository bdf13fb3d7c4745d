#include "emv/tlv.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include "emv/tlv_view.hpp"

namespace tender::emv {
namespace {

constexpr Byte kTagNumberMask = 0x1F;     // b5..b1 of the first tag byte all set: more bytes follow
constexpr Byte kConstructedBit = 0x20;    // b6 of the first tag byte
constexpr Byte kMoreTagBytes = 0x80;      // b8 of a subsequent tag byte
constexpr Byte kLongLengthForm = 0x80;    // b8 of the first length byte
constexpr std::size_t kMaxLengthBytes = 3;

std::string offset_text(std::size_t offset) { return "offset " + std::to_string(offset); }

// Messages name an object by its tag and where it starts; the tag is structure,
// never card data, so it is safe to print. The low-level readers do not know
// where they are, so their messages carry no location and decode() adds it.
Error located(Error error, const std::string& where) {
  error.message = where + ": " + error.message;
  return error;
}

struct TagRead {
  Tag tag;
  std::size_t size;
};

struct LengthRead {
  std::size_t length;
  std::size_t size;
};

Result<TagRead> parse_tag(ByteView in) {
  if (in.empty()) return make_error(Errc::truncated, "data ends where a tag is expected");
  const Byte first = in[0];
  if (first == 0x00) {
    // ISO 8825 would read this as end-of-contents, which only follows an
    // indefinite length; EMV has neither, so '00' here is misplaced padding.
    return make_error(Errc::malformed, "byte 00 where a tag is expected");
  }
  Tag tag = first;
  std::size_t size = 1;
  if ((first & kTagNumberMask) == kTagNumberMask) {
    for (;;) {
      if (size == kMaxTagBytes) {
        return make_error(Errc::malformed,
                          "tag longer than " + std::to_string(kMaxTagBytes) + " bytes");
      }
      if (size == in.size()) {
        return make_error(Errc::truncated, "data ends after " + std::to_string(size) +
                                               " bytes of a multi-byte tag");
      }
      const Byte next = in[size];
      tag = (tag << 8) | next;
      ++size;
      if ((next & kMoreTagBytes) == 0) break;
    }
  }
  return TagRead{tag, size};
}

Result<LengthRead> parse_length(ByteView in) {
  if (in.empty()) return make_error(Errc::truncated, "data ends before the length");
  const Byte first = in[0];
  if ((first & kLongLengthForm) == 0) return LengthRead{first, 1};
  const std::size_t count = first & 0x7F;
  if (count == 0) {
    return make_error(Errc::malformed, "indefinite length (80) is not allowed in EMV");
  }
  if (count > kMaxLengthBytes) {
    return make_error(Errc::malformed, "length field of " + std::to_string(count) +
                                           " bytes; EMV allows at most " +
                                           std::to_string(kMaxLengthBytes));
  }
  if (in.size() < 1 + count) {
    return make_error(Errc::truncated, "data ends inside the length field");
  }
  // Non-minimal forms (81 05) are accepted: cards in the field send them and the
  // value is unambiguous. encode() writes the minimal form.
  return LengthRead{static_cast<std::size_t>(load_be(in.subspan(1, count))), 1 + count};
}

// Counts one level's objects, so each level's vector is allocated once instead of
// growing (and moving its subtrees) as it fills. It stops quietly at anything
// wrong: the decoding pass reports it.
std::size_t count_objects(TlvReader reader) {
  std::size_t count = 0;
  TlvObject object;
  while (reader.next(object)) ++count;
  return count;
}

Result<void> decode_into(TlvReader reader, std::vector<TlvNode>& out) {
  out.reserve(count_objects(reader));
  TlvObject object;
  while (reader.next(object)) {
    TlvNode node{object.tag, object.value, {}};
    if (object.constructed()) {
      auto inner = decode_into(reader.contents(object), node.children);
      if (!inner) return std::move(inner).error();
    }
    out.push_back(std::move(node));
  }
  return reader.status();
}

std::size_t length_field_size(std::size_t length) noexcept {
  if (length < kLongLengthForm) return 1;
  std::size_t count = 0;
  for (std::size_t rest = length; rest != 0; rest >>= 8) ++count;
  return 1 + count;
}

// Writes into a buffer sized beforehand, so encoding a whole tree costs one
// allocation and no per-byte capacity checks.
class Writer {
 public:
  explicit Writer(std::span<Byte> out) : out_(out) {}

  void put(Byte b) { out_[pos_++] = b; }
  void put(ByteView bytes) {
    std::copy(bytes.begin(), bytes.end(), out_.subspan(pos_, bytes.size()).begin());
    pos_ += bytes.size();
  }
  void put_tag(Tag tag) {
    for (std::size_t i = tag_size(tag); i-- > 0;) put(static_cast<Byte>(tag >> (8 * i)));
  }
  void put_length(std::size_t length) {
    const std::size_t size = length_field_size(length);
    if (size == 1) {
      put(static_cast<Byte>(length));
      return;
    }
    const std::size_t count = size - 1;
    put(static_cast<Byte>(kLongLengthForm | count));
    for (std::size_t i = count; i-- > 0;) put(static_cast<Byte>(length >> (8 * i)));
  }

 private:
  std::span<Byte> out_;
  std::size_t pos_ = 0;
};

bool encodes_children(const TlvNode& node) noexcept {
  return node.constructed() && !node.children.empty();
}

std::size_t encoded_size(const TlvNode& node);

std::size_t content_size(const TlvNode& node) {
  if (!encodes_children(node)) return node.value.size();
  std::size_t size = 0;
  for (const auto& child : node.children) size += encoded_size(child);
  return size;
}

std::size_t encoded_size(const TlvNode& node) {
  const std::size_t content = content_size(node);
  return tag_size(node.tag) + length_field_size(content) + content;
}

void write_node(Writer& out, const TlvNode& node) {
  out.put_tag(node.tag);
  out.put_length(content_size(node));
  if (encodes_children(node)) {
    for (const auto& child : node.children) write_node(out, child);
  } else {
    out.put(node.value);
  }
}

}  // namespace

std::size_t tag_size(Tag tag) noexcept {
  std::size_t size = 1;
  while (size < sizeof(Tag) && (tag >> (8 * size)) != 0) ++size;
  return size;
}

bool is_constructed(Tag tag) noexcept {
  const auto first = static_cast<Byte>(tag >> (8 * (tag_size(tag) - 1)));
  return (first & kConstructedBit) != 0;
}

std::string tag_to_hex(Tag tag) {
  std::array<Byte, sizeof(Tag)> bytes{};
  const std::size_t size = tag_size(tag);
  store_be(tag, std::span<Byte>{bytes}.last(size));
  return to_hex(ByteView{bytes}.last(size));
}

Result<Tag> tag_from_hex(std::string_view hex) {
  auto bytes = from_hex(hex);
  if (!bytes) return make_error(Errc::malformed, "tag: " + bytes.error().message);
  if (bytes->empty()) return make_error(Errc::malformed, "tag: empty");
  // Every failure is malformed here: a short tag typed on a command line is a
  // format error, not data that ran out.
  auto tag = parse_tag(*bytes);
  if (!tag) return make_error(Errc::malformed, "tag: " + tag.error().message);
  if (tag->size != bytes->size()) {
    return make_error(Errc::malformed, "tag: " + std::to_string(bytes->size() - tag->size) +
                                           " extra bytes after a " + std::to_string(tag->size) +
                                           "-byte tag");
  }
  return tag->tag;
}

Result<std::vector<TlvNode>> decode(ByteView data, const DecodeOptions& options) {
  std::vector<TlvNode> nodes;
  auto done = decode_into(TlvReader{data, options}, nodes);
  if (!done) return std::move(done).error();
  return nodes;
}

Result<Tag> read_tag(ByteView& in) {
  auto tag = parse_tag(in);
  if (!tag) return std::move(tag).error();
  in = in.subspan(tag->size);
  return tag->tag;
}

Result<std::size_t> read_length(ByteView& in) {
  auto length = parse_length(in);
  if (!length) return std::move(length).error();
  in = in.subspan(length->size);
  return length->length;
}

namespace tlv_detail {

// The fast reader only knows that an object is wrong; these are the words for it,
// by the same rules re-applied one step at a time. Messages name the object by its
// tag and where it starts: the tag is structure, never card data.
Error describe_fault(ByteView at, std::size_t offset) {
  auto tag = parse_tag(at);
  if (!tag) return located(std::move(tag).error(), offset_text(offset));
  const std::string what = "tag " + tag_to_hex(tag->tag) + " at " + offset_text(offset);
  auto length = parse_length(at.subspan(tag->size));
  if (!length) return located(std::move(length).error(), what);
  const std::size_t left = at.size() - tag->size - length->size;
  if (length->length > left) {
    return make_error(Errc::truncated, what + ": length " + std::to_string(length->length) +
                                           " runs past the end of the data (" +
                                           std::to_string(left) + " bytes left)");
  }
  // read_object() refused what these rules accept: the two disagree, which the
  // tests and the fuzz target look for. Still an error, never a crash.
  return make_error(Errc::malformed, what + ": refused by the decoder");
}

Error depth_fault(std::size_t offset, std::size_t max_depth) {
  return make_error(Errc::malformed, "object at " + offset_text(offset) +
                                         " is nested deeper than the limit of " +
                                         std::to_string(max_depth));
}

}  // namespace tlv_detail

const TlvNode* find(std::span<const TlvNode> nodes, Tag tag) {
  for (const auto& node : nodes) {
    if (node.tag == tag) return &node;
    if (const TlvNode* inner = find(node.children, tag)) return inner;
  }
  return nullptr;
}

void append_tlv(Bytes& out, Tag tag, ByteView value) {
  const std::size_t start = out.size();
  out.resize(start + tag_size(tag) + length_field_size(value.size()) + value.size());
  Writer writer{std::span<Byte>{out}.subspan(start)};
  writer.put_tag(tag);
  writer.put_length(value.size());
  writer.put(value);
}

Bytes encode_tlv(Tag tag, ByteView value) {
  Bytes out;
  append_tlv(out, tag, value);
  return out;
}

Bytes encode(std::span<const TlvNode> nodes) {
  std::size_t total = 0;
  for (const auto& node : nodes) total += encoded_size(node);
  Bytes out(total);
  Writer writer{out};
  for (const auto& node : nodes) write_node(writer, node);
  return out;
}

}  // namespace tender::emv
