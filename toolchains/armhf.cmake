# Cross-compiling for armhf countertop terminals with Debian's cross toolchain:
#   apt-get install g++-arm-linux-gnueabihf && dpkg --add-architecture armhf && apt-get update &&
#   apt-get install libmbedtls-dev:armhf libboost-dev nlohmann-json3-dev
#   cmake -S . -B build/armhf -DCMAKE_TOOLCHAIN_FILE=toolchains/armhf.cmake -DTENDER_BUILD_TESTS=OFF
# Debian's multiarch layout puts the target's libraries in /usr/lib/arm-linux-gnueabihf, so no
# separate sysroot is needed.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR arm)
set(CMAKE_C_COMPILER arm-linux-gnueabihf-gcc)
set(CMAKE_CXX_COMPILER arm-linux-gnueabihf-g++)
set(CMAKE_LIBRARY_ARCHITECTURE arm-linux-gnueabihf)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)
set(CMAKE_FIND_ROOT_PATH /usr/arm-linux-gnueabihf /usr)
