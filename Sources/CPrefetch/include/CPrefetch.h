// A hint to the processor to start loading memory the program will read soon; nothing else.
// Swift has no spelling of it; the engine asks for the next pupil's marks while it evaluates
// the current one, so that they arrive from memory in the background.
#ifndef MAYAK_CPREFETCH_H
#define MAYAK_CPREFETCH_H

static inline void mayak_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#endif
