#if canImport(Glibc)
    import CPthread
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Threads of their own for work that blocks, outside Swift's cooperative pool, as
/// Foundation's `Thread` starts them: detached, with the default stack size.
public enum DetachedThread {
    /// Starts a thread that runs `body` and ends with it.
    ///
    /// `name` shows in `top -H`, `ps -L` and debuggers; Linux keeps its first 15 bytes.
    public static func start(name: String? = nil, _ body: @escaping @Sendable () -> Void) {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))

        // The thread owns the retained box and releases it when `body` returns.
        let box = Unmanaged.passRetained(Start(name: name, body: body)).toOpaque()
        #if canImport(Glibc)
            var thread = pthread_t()
        #else
            var thread: pthread_t?
        #endif
        let status = pthread_create(&thread, &attributes, runStart, box)
        guard status == 0 else {
            Unmanaged<Start>.fromOpaque(box).release()
            fatalError("pthread_create failed: \(status)")
        }
    }

    /// What the new thread runs, passed through pthread_create's one pointer.
    fileprivate final class Start {
        let name: String?
        let body: @Sendable () -> Void

        init(name: String?, body: @escaping @Sendable () -> Void) {
            self.name = name
            self.body = body
        }

        func run() {
            if let name { Self.nameCurrentThread(name) }
            body()
        }

        private static func nameCurrentThread(_ name: String) {
            #if canImport(Glibc)
                // pthread_setname_np refuses a name over 15 bytes instead of cutting it.
                var bytes: [CChar] = []
                for scalar in name.unicodeScalars {
                    guard bytes.count + scalar.utf8.count <= 15 else { break }
                    bytes += scalar.utf8.map { CChar(bitPattern: $0) }
                }
                bytes.append(0)
                _ = pthread_setname_np(pthread_self(), bytes)
            #else
                _ = pthread_setname_np(name)
            #endif
        }
    }
}

#if canImport(Glibc)
    private func runStart(_ box: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
        Unmanaged<DetachedThread.Start>.fromOpaque(box!).takeRetainedValue().run()
        return nil
    }
#else
    private func runStart(_ box: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer? {
        Unmanaged<DetachedThread.Start>.fromOpaque(box).takeRetainedValue().run()
        return nil
    }
#endif
