# What `cmake --install` puts in the prefix, and the .deb `cpack -G DEB` makes of it: the two
# programs, the JavaScript engine's module (in lib/mongo-migrate/, where mongo-migrate looks
# beside ../lib), their man pages and their bash and zsh completions, generated at build time
# by the programs themselves from their command-line definitions.
include(GNUInstallDirs)

set(MM_DOCS_DIR ${PROJECT_BINARY_DIR}/docs)
set(MM_DOCS)
foreach(program mongo-migrate devmongod)
  foreach(doc "man;${program}.1;--man-page" "bash;${program};--completion bash"
              "zsh;_${program};--completion zsh")
    list(GET doc 0 kind)
    list(GET doc 1 file)
    list(GET doc 2 args)
    set(out ${MM_DOCS_DIR}/${kind}/${file})
    add_custom_command(OUTPUT ${out}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${MM_DOCS_DIR}/${kind}
      COMMAND ${CMAKE_COMMAND} -DPROGRAM=$<TARGET_FILE:${program}> "-DARGS=${args}" -DOUT=${out}
              -P ${PROJECT_SOURCE_DIR}/cmake/run_to_file.cmake
      DEPENDS ${program} ${PROJECT_SOURCE_DIR}/cmake/run_to_file.cmake
      COMMENT "Generating ${kind}/${file}" VERBATIM)
    list(APPEND MM_DOCS ${out})
  endforeach()
  install(FILES ${MM_DOCS_DIR}/man/${program}.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
  install(FILES ${MM_DOCS_DIR}/bash/${program}
          DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
  install(FILES ${MM_DOCS_DIR}/zsh/_${program}
          DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
endforeach()
add_custom_target(mm_docs ALL DEPENDS ${MM_DOCS})

install(TARGETS mongo-migrate devmongod RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

# The C++ library: the shared object (libmongomigrate.so.0.MINOR, in the libdir), its parts as
# static archives (in lib/mongo-migrate/, for mongomigrate::mongomigrate_static), its
# self-contained headers, a CMake package (find_package(mongomigrate CONFIG) →
# mongomigrate::mongomigrate, the shared one) and a pkg-config file.
install(TARGETS mongomigrate_shared EXPORT mongomigrateTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} NAMELINK_COMPONENT Unspecified)
install(TARGETS ${MM_LIBRARY_PARTS} mm_version EXPORT mongomigrateTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}/mongo-migrate)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/mongomigrate
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.h")
install(FILES ${PROJECT_BINARY_DIR}/src/generated/mongomigrate/version.h
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/mongomigrate)
set(MM_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/mongomigrate)
install(EXPORT mongomigrateTargets NAMESPACE mongomigrate:: DESTINATION ${MM_CMAKE_DIR})
include(CMakePackageConfigHelpers)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/mongomigrateConfig.cmake.in
  ${PROJECT_BINARY_DIR}/mongomigrateConfig.cmake INSTALL_DESTINATION ${MM_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/mongomigrateConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/mongomigrateConfig.cmake
              ${PROJECT_BINARY_DIR}/mongomigrateConfigVersion.cmake DESTINATION ${MM_CMAKE_DIR})
configure_file(${PROJECT_SOURCE_DIR}/cmake/mongomigrate.pc.in ${PROJECT_BINARY_DIR}/mongomigrate.pc
  @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/mongomigrate.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
if(MM_WITH_JS)
  install(TARGETS mongomigrate_js LIBRARY DESTINATION lib/mongo-migrate)
endif()
install(FILES ${PROJECT_SOURCE_DIR}/LICENSE ${PROJECT_SOURCE_DIR}/CHANGELOG.md
        DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME mongo-migrate)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "mongo-migrate")
set(CPACK_PACKAGE_CONTACT "mongo-migrate developers <mongo-migrate@users.noreply.github.com>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "versioned migrations for MongoDB, with devmongod, a MongoDB-compatible server for tests")
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION database)
# Its dependencies are the libraries it links, as dpkg-shlibdeps finds them.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# It carries a shared library: a shlibs file for packages built against it, and ldconfig run on
# install and removal.
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "bash-completion")
include(CPack)
