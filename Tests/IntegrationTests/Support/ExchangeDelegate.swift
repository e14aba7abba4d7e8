import Foundation
import Synchronization

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Collects each task's response and body through delegate callbacks, turning down every
/// redirect and every authentication challenge, so that the first answer is the result.
///
/// Not `session.data(for:)`: on Linux a `401` carrying `WWW-Authenticate: Basic` (which
/// SPEC §10 requires for a wrong password or client secret) raises a challenge, and
/// "default handling" with no credential leaves the task hanging forever
/// (swift-corelibs-foundation #5456, fixed after 6.3.1). Declining the challenge ends
/// the task with a cancellation error after the `401` and its body have arrived;
/// `didCompleteWithError` hands that response on as the answer.
final class ExchangeDelegate: NSObject, URLSessionDataDelegate, Sendable {
    private struct Exchange {
        var body = Data()
        var declinedChallenge = false
        let continuation: CheckedContinuation<(Data, HTTPURLResponse), any Error>
    }

    private let exchanges = Mutex<[Int: Exchange]>([:])

    /// Runs `task` and returns its body and HTTP response.
    func perform(_ task: URLSessionDataTask) async throws -> (Data, HTTPURLResponse) {
        try await withCheckedThrowingContinuation { continuation in
            exchanges.withLock { $0[task.taskIdentifier] = Exchange(continuation: continuation) }
            task.resume()
        }
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        exchanges.withLock { $0[dataTask.taskIdentifier]?.body.append(data) }
    }

    func urlSession(
        _ session: URLSession, task: URLSessionTask,
        willPerformHTTPRedirection response: HTTPURLResponse, newRequest request: URLRequest,
        completionHandler: @escaping @Sendable (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }

    func urlSession(
        _ session: URLSession, task: URLSessionTask,
        didReceive challenge: URLAuthenticationChallenge,
        completionHandler:
            @escaping @Sendable (URLSession.AuthChallengeDisposition, URLCredential?) -> Void
    ) {
        exchanges.withLock { $0[task.taskIdentifier]?.declinedChallenge = true }
        completionHandler(.cancelAuthenticationChallenge, nil)
    }

    func urlSession(
        _ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?
    ) {
        guard let exchange = exchanges.withLock({ $0.removeValue(forKey: task.taskIdentifier) })
        else {
            return
        }
        guard let response = task.response as? HTTPURLResponse,
            error == nil || exchange.declinedChallenge
        else {
            exchange.continuation.resume(
                throwing: error ?? HarnessError("the server's answer was not HTTP"))
            return
        }
        exchange.continuation.resume(returning: (exchange.body, response))
    }
}
