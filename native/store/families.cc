// The one list of native command families. Adding a family: write its file with a
// register<Name>Family block at the end, declare it here, call it below.
#include "store/command.h"

namespace gearsd::store {

void registerStringFamily(CommandRegistry& r);
void registerKeysFamily(CommandRegistry& r);
void registerListFamily(CommandRegistry& r);
void registerHashFamily(CommandRegistry& r);
void registerSetFamily(CommandRegistry& r);
void registerStreamFamily(CommandRegistry& r);
void registerZsetFamily(CommandRegistry& r);
void registerBitmapFamily(CommandRegistry& r);
void registerHyperLogLogFamily(CommandRegistry& r);
void registerSortFamily(CommandRegistry& r);

void registerAllFamilies(CommandRegistry& r) {
  registerStringFamily(r);
  registerKeysFamily(r);
  registerListFamily(r);
  registerHashFamily(r);
  registerSetFamily(r);
  registerStreamFamily(r);
  registerZsetFamily(r);
  registerBitmapFamily(r);
  registerHyperLogLogFamily(r);
  registerSortFamily(r);
}

}  // namespace gearsd::store
