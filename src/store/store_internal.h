// The SQLite connection behind a Store, for the components of this library
// that own tables in the store or read them through SQL: the detectors and
// their readers, the export, the report and the server, search. Private:
// the public API (include/echotrace/store.h) has no SQLite types, and
// programs outside the library use Store's methods.
#ifndef ECHOTRACE_STORE_STORE_INTERNAL_H_
#define ECHOTRACE_STORE_STORE_INTERNAL_H_

#include <sqlite3.h>

#include <memory>

#include "echotrace/store.h"

namespace echotrace::store_internal {

// The friend of Store that hands out its connection.
struct StoreAccess {
  static sqlite3* Handle(Store* store);
};

// The connection of `store`, owned by it; used on the store's thread.
inline sqlite3* Handle(Store* store) { return StoreAccess::Handle(store); }
inline sqlite3* Handle(const std::unique_ptr<Store>& store) { return Handle(store.get()); }

}  // namespace echotrace::store_internal

#endif  // ECHOTRACE_STORE_STORE_INTERNAL_H_
