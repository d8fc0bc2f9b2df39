#include "js/js_module.h"

#include "js/js_migration.h"

extern "C" __attribute__((visibility("default"))) const mm::js::ModuleApi* mm_js_module_api() {
  static const mm::js::ModuleApi api{mm::js::kModuleAbi, &mm::js::LoadJsMigration,
                                     &mm::js::JsModuleExports};
  return &api;
}
