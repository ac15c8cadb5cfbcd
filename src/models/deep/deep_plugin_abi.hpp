// The two C entry points of libcalm_deep.so, shared by the plugin and its loader.
// The plugin holds a private copy of the engine's code, so engine and plugin must come from the
// same build: calm_deep_build_id() returns CALM_DEEP_BUILD_ID (set by CMake per configure) and the
// loader refuses a plugin whose id differs from its own.
#pragma once

namespace calm {
class Synthesizer;
}

extern "C" {
// A new synthesizer for `method`, or nullptr (with `*error` set) for a name the plugin lacks.
typedef calm::Synthesizer* (*CalmDeepCreateFn)(const char* method, const char** error);
typedef const char* (*CalmDeepBuildIdFn)();
}

#define CALM_DEEP_CREATE_SYMBOL "calm_deep_create"
#define CALM_DEEP_BUILD_ID_SYMBOL "calm_deep_build_id"
