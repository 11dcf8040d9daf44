{
  "targets": [
    {
      "target_name": "gearsd_native",
      "sources": ["<!@(node scripts/native-sources.mjs)", "<(INTERMEDIATE_DIR)/gears_py_embedded.cc"],
      "include_dirs": [
        "<!(node -p \"require('node-addon-api').include_dir\")",
        "native",
        "<!@(node scripts/python-config.mjs --includes)"
      ],
      "libraries": ["<!@(node scripts/python-config.mjs --ldflags)", "-lpthread"],
      "defines": [
        "NAPI_VERSION=8",
        "NAPI_DISABLE_CPP_EXCEPTIONS",
        "NODE_ADDON_API_DISABLE_DEPRECATED",
        "GEARSD_LIBPYTHON=\"<!(node scripts/python-config.mjs --library)\""
      ],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-std=gnu++17"],
      "cflags_cc": ["-std=gnu++20", "-O2", "-fvisibility=hidden", "-Wall", "-Wno-unused-parameter", "-Wno-missing-field-initializers"],
      "actions": [
        {
          "action_name": "embed_python_package",
          "inputs": ["scripts/embed-python.mjs", "<!@(node scripts/embed-python.mjs --list)"],
          "outputs": ["<(INTERMEDIATE_DIR)/gears_py_embedded.cc"],
          "action": ["node", "scripts/embed-python.mjs", "<(INTERMEDIATE_DIR)/gears_py_embedded.cc"]
        }
      ]
    }
  ]
}
