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
install(TARGETS mongomigrate_js LIBRARY DESTINATION lib/mongo-migrate)
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
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "bash-completion")
include(CPack)
