# Warnings are errors on the project's own code. Generated sources get the same flags.
function(cfgate_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
    -Wpointer-arith -Wformat=2 -Wno-unused-parameter)
endfunction()

# Build a C file from an re2c specification into the build tree.
function(cfgate_re2c input output)
  add_custom_command(
    OUTPUT ${output}
    COMMAND ${RE2C_EXECUTABLE} -W -Werror --no-generation-date -o ${output} ${input}
    DEPENDS ${input}
    COMMENT "re2c ${input}")
endfunction()
