import Foundation
import MayakSnapshot
import MayakTestSupport
import Testing

@testable import MayakImport

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Excel 97–2003 workbooks read in a child process: the frame the child writes, and how the
/// parent takes a child that crashes, hangs, says too much or nothing. The helpers here are
/// shell commands standing in for `mayak read-xls` (the CLI tests run the real one).
@Suite struct BIFFIsolationTests {
    static let journal = BIFFReaderTests.journal

    private func reader(_ script: String, timeout: Duration = .seconds(10), maxOutputBytes: Int = 1 << 20)
        -> IsolatedBIFFReader
    {
        IsolatedBIFFReader(command: ["/bin/sh", "-c", script], timeout: timeout, maxOutputBytes: maxOutputBytes)
    }

    private func failure(_ reader: IsolatedBIFFReader, file: String = "j.xls") -> ImportError? {
        do {
            _ = try reader.read(path: Self.journal, file: file)
            return nil
        } catch {
            return error
        }
    }

    private func frame(_ bytes: [UInt8]) -> GridWire.Malformed? {
        do {
            _ = try GridWire.decode(bytes, file: "j.xls")
            return nil
        } catch {
            return error
        }
    }

    @Test func aWorkbookAndAnErrorRoundTrip() throws {
        let book = try BIFFReader.read(path: Self.journal, file: "j.xls")
        #expect(try GridWire.decode(GridWire.encode(book), file: "j.xls") == .workbook(book.grids))
        let odd = Workbook(
            file: "o.xls", kind: .xls,
            grids: [
                Grid(file: "o.xls", name: "", addressing: .cells, rows: [[], ["", "", "x"], ["😀 «Ёж»\n\t", ""], []]),
                Grid(file: "o.xls", name: "Пусто", addressing: .cells, rows: []),
            ])
        #expect(try GridWire.decode(GridWire.encode(odd), file: "o.xls") == .workbook(odd.grids))
        let none = Workbook(file: "n.xls", kind: .xls, grids: [])
        #expect(try GridWire.decode(GridWire.encode(none), file: "n.xls") == .workbook([]))
        let error = ImportError("j.xls:7А!D14", "FreeXL не смог прочитать эту ячейку (FREEXL_CRAFTED_FILE)")
        #expect(try GridWire.decode(GridWire.encode(error), file: "j.xls") == .error(error))
    }

    @Test func aStreamCutShortGarbledOrWithMoreAfterItIsMalformed() throws {
        let whole = GridWire.encode(try BIFFReader.read(path: Self.journal, file: "j.xls"))
        for length in 0..<whole.count {
            #expect(frame(Array(whole.prefix(length))) != nil, "cut at \(length)")
        }
        #expect(frame(whole + [0])?.reason == "1 байт после кадра, начиная с байта \(Russian.number(whole.count))")
        let error = GridWire.encode(ImportError("j.xls", "нет такого файла"))
        for length in 0..<error.count { #expect(frame(Array(error.prefix(length))) != nil, "cut at \(length)") }
        #expect(frame(Array("MXW2W".utf8) + [0, 0, 0, 0])?.reason == "он не начинается с MXW1")
        #expect(frame(Array("MXW1X".utf8))?.reason == "неизвестный тег кадра 88 на байте 4")
        // Counts and lengths past what the bytes hold are refused before anything is reserved.
        let huge: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF]
        #expect(
            frame(Array("MXW1W".utf8) + huge)?.reason
                == "число 4\u{202F}294\u{202F}967\u{202F}295 на байте 5 больше, чем вмещают оставшиеся 0 байт")
        #expect(
            frame(Array("MXW1E".utf8) + huge + [1, 2])?.reason
                == "текст на байте 5 длиной 4\u{202F}294\u{202F}967\u{202F}295 байт выходит за конец")
        let oneSheet = Array("MXW1W".utf8) + [1, 0, 0, 0, 1, 0, 0, 0]
        #expect(frame(oneSheet + [0xC3] + [0, 0, 0, 0])?.reason == "текст на байте 9 — не UTF-8")
        // Empty rows cost 4 bytes each: more rows than a workbook is read with are refused.
        let rows = BIFFReader.maxCells + 1
        let many =
            oneSheet + [0x41] + [UInt8(rows & 0xFF), UInt8(rows >> 8 & 0xFF), UInt8(rows >> 16 & 0xFF), 0]
            + [UInt8](repeating: 0, count: 4 * rows)
        #expect(frame(many)?.reason == "больше 4\u{202F}000\u{202F}000 строк на байте 18")
        // Noise after the magic: an error every time, never a trap.
        var generator = SplitMix(seed: 7)
        for _ in 0..<500 {
            let noise = (0..<Int(generator.next() % 64)).map { _ in UInt8(truncatingIfNeeded: generator.next() % 5) }
            _ = frame(Array("MXW1W".utf8) + noise)
        }
    }

    @Test func aChildKilledByASignalIsAnErrorAtTheFile() {
        let segv = failure(reader("kill -SEGV $$"))
        #expect(
            segv
                == ImportError(
                    "j.xls",
                    "FreeXL остановлен сигналом 11 (SIGSEGV) при чтении этой книги; файл повреждён или подделан — откройте его в Excel и сохраните заново"
                ))
        #expect(failure(reader("kill -ABRT $$"))?.message.hasPrefix("FreeXL остановлен сигналом 6 (SIGABRT)") == true)
    }

    @Test func aChildThatOutrunsTheTimeoutIsKilled() throws {
        let start = ContinuousClock.now
        let slow = failure(reader("exec sleep 30", timeout: .milliseconds(300)))
        #expect(ContinuousClock.now - start < .seconds(2))
        #expect(
            slow
                == ImportError(
                    "j.xls",
                    "FreeXL не дочитал эту книгу за 0,3 с и был остановлен; файл повреждён или подделан — откройте его в Excel и сохраните заново"
                ))
        // One that closes its output and stays is killed at the deadline as well.
        let run = try ChildProcess.run(
            ["/bin/sh", "-c", "exec >&- 2>&-; exec sleep 30"], timeout: .milliseconds(300), maxOutputBytes: 10)
        #expect(run.end == .timedOut)
        #expect(kill(run.pid, 0) == -1 && errno == ESRCH, "the child is reaped, not a zombie")
    }

    @Test func aChildThatSaysTooMuchIsKilledAndItsStderrIsBounded() throws {
        let big = failure(reader("head -c 100000 /dev/zero", maxOutputBytes: 1000))
        #expect(
            big == ImportError("j.xls", "прочитанные ячейки книги занимают больше 1\u{202F}000 байт; книга не читается")
        )
        let noisy = try ChildProcess.run(
            ["/bin/sh", "-c", "head -c 1000000 /dev/zero >&2; echo done"], timeout: .seconds(10), maxOutputBytes: 10)
        #expect(noisy.end == .exited(0))
        #expect(noisy.output == Array("done\n".utf8))
        #expect(noisy.errors.count == ChildProcess.maxErrorBytes)
    }

    #if os(Linux)
        @Test func aChildGetsNoDescriptorOfOursAndNoBlockedSignals() throws {
            // A descriptor open without close-on-exec, and SIGINT blocked, as Mayak blocks it.
            let leaked = open("/dev/null", O_RDONLY)
            defer { close(leaked) }
            var interrupt = sigset_t()
            sigemptyset(&interrupt)
            sigaddset(&interrupt, SIGINT)
            var before = sigset_t()
            pthread_sigmask(SIG_BLOCK, &interrupt, &before)
            defer { pthread_sigmask(SIG_SETMASK, &before, nil) }
            let fds = try ChildProcess.run(
                ["/bin/ls", "-l", "/proc/self/fd"], timeout: .seconds(10), maxOutputBytes: 10000)
            #expect(fds.end == .exited(0))
            // Each descriptor as `N target`, but for the one ls reads the folder through.
            let listed = String(decoding: fds.output, as: UTF8.self).split(separator: "\n").compactMap {
                line -> String? in
                let words = line.split(separator: " ")
                guard let arrow = words.firstIndex(of: "->"), arrow > 0, arrow + 1 < words.count,
                    !words[arrow + 1].hasPrefix("/proc/")
                else { return nil }
                return "\(words[arrow - 1]) \(words[arrow + 1])"
            }
            #expect(listed.map { $0.prefix { $0 != " " } } == ["0", "1", "2"], "\(listed)")
            #expect(listed.first == "0 /dev/null")
            let mask = try ChildProcess.run(
                ["/bin/grep", "SigBlk", "/proc/self/status"], timeout: .seconds(10), maxOutputBytes: 1000)
            #expect(String(decoding: mask.output, as: UTF8.self) == "SigBlk:\t0000000000000000\n")
        }
    #endif

    @Test func aChildThatEndsWithoutAResultIsAnErrorQuotingItsStderr() throws {
        let three = failure(reader("echo; echo '==1==ERROR: AddressSanitizer: stack-buffer-underflow' >&2; exit 3"))
        #expect(
            three
                == ImportError(
                    "j.xls",
                    "процесс FreeXL завершился с кодом 3, не выдав результата: "
                        + "«==1==ERROR: AddressSanitizer: stack-buffer-underflow»; файл повреждён или подделан — откройте его в Excel и сохраните заново"
                ))
        let garbled = failure(reader("printf MXW1W"))
        #expect(
            garbled?.message
                == "процесс FreeXL завершился с кодом 0, выдав испорченный результат "
                + "(он обрывается после 5 байт, посреди значения на байте 5); файл повреждён или подделан — откройте его в Excel и сохраните заново"
        )
        // An error frame with a success status says otherwise.
        let error = GridWire.encode(ImportError("x", "y")).map { String(format: "\\%03o", $0) }.joined()
        #expect(failure(reader("printf '\(error)'"))?.message.contains("а его результат говорит обратное") == true)
        let missing = failure(IsolatedBIFFReader(command: ["/nonexistent/mayak", "read-xls"]))
        #expect(
            missing
                == ImportError(
                    "j.xls",
                    "программа чтения Excel 97–2003 не запустилась "
                        + "(не удалось запустить /nonexistent/mayak: нет такого файла или папки)"))
    }

    @Test func theChildsErrorIsPlacedAtTheFileAsTheUserNamesIt() throws {
        let error = GridWire.encode(ImportError(Self.journal + ":7А!B2", "FreeXL не смог прочитать эту ячейку"))
        let octal = error.map { String(format: "\\%03o", $0) }.joined()
        #expect(
            failure(reader("printf '\(octal)'; exit 1"), file: "journal.xls")
                == ImportError("journal.xls:7А!B2", "FreeXL не смог прочитать эту ячейку"))
    }

    /// Fuzz-biff runs FreeXL in its own process: the inputs FreeXL reads out of bounds on stay
    /// out of its corpus, or every fuzzing run would stop there.
    @Test(arguments: ["freexl-stack-underflow.xls", "freexl-heap-overflow.xls", "freexl-segv.xls"])
    func anInputFreeXLMishandlesIsNotInTheFuzzingCorpus(name: String) throws {
        let crafted = try Data(contentsOf: BIFFReaderTests.fixtures.appendingPathComponent(name))
        let corpus = BIFFReaderTests.fixtures.deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fuzz/corpus/biff")
        let names = try FileManager.default.contentsOfDirectory(atPath: corpus.path)
        #expect(names.contains("journal.xls"))
        for seed in names { #expect(try Data(contentsOf: corpus.appendingPathComponent(seed)) != crafted, "\(seed)") }
    }
}
