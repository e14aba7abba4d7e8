import Foundation
import LatchkeyStorage
import TestThreads
import Testing

struct CommitTicketTests {
    @Test func completionSetFirst_runsWhenFinished_withTheError() {
        let ticket = CommitTicket()
        let heard = Collected<StorageError?>()
        ticket.whenFinished { heard.append($0) }
        #expect(heard.all.isEmpty)

        ticket.finish(.unavailable("disk gone"))

        #expect(heard.all == [.unavailable("disk gone")])
    }

    @Test func completionSetAfterFinishing_runsAtOnce() {
        let ticket = CommitTicket()
        ticket.finish(nil)
        let heard = Collected<StorageError?>()

        ticket.whenFinished { heard.append($0) }

        #expect(heard.all == [nil])
    }

    @Test func finishedTicket_waitReturnsOrThrowsItsError() {
        #expect(throws: Never.self) { try CommitTicket.finished(nil).wait() }
        #expect(throws: StorageError.conflict("token_hash")) {
            try CommitTicket.finished(.conflict("token_hash")).wait()
        }
    }

    @Test(.onBlockingThreads) func wait_blocksUntilAnotherThreadFinishes() {
        let ticket = CommitTicket()
        let events = Collected<String>()
        onThreads(2) { index in
            if index == 0 {
                do {
                    try ticket.wait()
                    events.append("returned")
                } catch {
                    events.append("threw \(error)")
                }
            } else {
                Thread.sleep(forTimeInterval: 0.05)
                events.append("finishing")
                ticket.finish(.failure("late"))
            }
        }
        #expect(events.all == ["finishing", #"threw failure("late")"#])
    }

    @Test func tickets_areEqualOnlyToThemselves() {
        let ticket = CommitTicket.finished(nil)
        #expect(ticket == ticket)
        #expect(ticket != CommitTicket.finished(nil))
    }
}
