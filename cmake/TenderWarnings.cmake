# Project-wide compile settings, applied per target with tender_target_settings().
function(tender_target_settings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
                         -Wno-sign-conversion)
  if(TENDER_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
    # g++ 12's flow-sensitive warnings fire at -O2/-O3 on code inlined from libstdc++
    # (std::optional payloads "maybe uninitialized", vector/string copies "out of
    # bounds" or "restrict" overlaps: GCC bugs 105562, 105651, 107138). They stay
    # visible as warnings in optimised builds; the -Werror gate is the Debug build CI
    # runs, and ASan/UBSan check the real conditions there.
    if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND NOT CMAKE_BUILD_TYPE STREQUAL "Debug")
      target_compile_options(${target} PRIVATE -Wno-error=maybe-uninitialized -Wno-error=array-bounds
                             -Wno-error=restrict -Wno-error=stringop-overflow)
    endif()
  endif()
  if(TENDER_SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=address,undefined -fno-omit-frame-pointer
                           -fno-sanitize-recover=undefined)
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
  endif()
  if(TENDER_BUILD_FUZZ)
    target_compile_options(${target} PRIVATE -fsanitize=fuzzer-no-link,address,undefined)
  endif()
endfunction()
