#include "common/secret.hpp"

#include <ostream>

namespace tender {

std::ostream& operator<<(std::ostream& os, const SecretBytes&) { return os << kRedacted; }
std::ostream& operator<<(std::ostream& os, const SecretString&) { return os << kRedacted; }

}  // namespace tender
