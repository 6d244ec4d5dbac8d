# Writes OUTPUT, a C header that names the commit of the source checkout the
# cfgate command is built from, and whether the checkout had uncommitted
# changes. Runs at every build, so the header follows new commits without a
# new configure. The file is written only when its text changes, so an
# unchanged checkout rebuilds nothing.
#
#   cmake -DSOURCE_DIR=DIR -DOUTPUT=FILE [-DGIT_EXECUTABLE=GIT] -P BuildCommit.cmake

set(commit "unknown")
set(tree "unknown")
set(tree_note "")

if(GIT_EXECUTABLE AND EXISTS "${SOURCE_DIR}/.git")
  execute_process(COMMAND "${GIT_EXECUTABLE}" -C "${SOURCE_DIR}" rev-parse --short=12 HEAD
                  OUTPUT_VARIABLE head RESULT_VARIABLE head_status
                  OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(head_status EQUAL 0 AND head MATCHES "^[0-9a-f]+$")
    set(commit "${head}")
    execute_process(COMMAND "${GIT_EXECUTABLE}" -C "${SOURCE_DIR}" status --porcelain --untracked-files=no
                    OUTPUT_VARIABLE changes RESULT_VARIABLE status_status ERROR_QUIET)
    if(status_status EQUAL 0)
      if(changes STREQUAL "")
        set(tree "clean")
      else()
        set(tree "modified")
        set(tree_note ", with uncommitted changes")
      endif()
    endif()
  endif()
endif()

set(text "/* Generated at build time by cmake/BuildCommit.cmake. */\n")
string(APPEND text "#define CFGATE_BUILD_COMMIT \"${commit}\"\n")
string(APPEND text "#define CFGATE_BUILD_TREE \"${tree}\"\n")
# What a --version line adds after the commit: nothing for a clean checkout.
string(APPEND text "#define CFGATE_BUILD_TREE_NOTE \"${tree_note}\"\n")

if(EXISTS "${OUTPUT}")
  file(READ "${OUTPUT}" old)
else()
  set(old "")
endif()
if(NOT old STREQUAL text)
  file(WRITE "${OUTPUT}" "${text}")
endif()
