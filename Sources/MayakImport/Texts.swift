import MayakSnapshot

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Every text the importer shows its users, in Russian: the errors and warnings of `mayak import`
/// (`ImportError`, `ImportLog`), the summary's assumptions (`ImportBatch.inferences`) and its
/// names of layouts — one place to review the wording.
///
/// Names and values from the user's files are quoted «…»; identifiers stay as they are inside
/// the sentence (command-line flags, the keys of mapping and calendar files, file and part
/// names, FreeXL's codes, the formats' names). The texts begin in lower case: they follow
/// `file:line:column: ошибка: `.
enum ImportText {
    // MARK: - severities and summing up

    /// A severity of `ImportLog` as printed after the position.
    static func severity(_ id: String) -> String {
        switch id {
        case "error": return "ошибка"
        case "warning": return "предупреждение"
        case "note": return "примечание"
        default: return id
        }
    }

    /// The line after the first problems of one kind: how many more there are.
    static func moreLikeIt(_ rest: Int, total: Int) -> String {
        "… то же ещё в \(Russian.counted(rest, "месте", "местах", "местах")) (всего \(Russian.number(total)))"
    }

    // MARK: - the import as a whole

    static let folderNotEmpty =
        "папка не пуста, и в ней нет прежнего импорта (identity.csv); импортируйте в новую или пустую папку"

    static func noSuchProfile(known: [String]) -> String {
        "нет такого профиля; есть: \(known.joined(separator: ", "))"
    }

    static let noSchoolYear =
        "нет ни одной датированной отметки или пропуска, по которым виден учебный год; укажите --school-year 2025/2026"

    static func vprAfterSchoolYear(spring: Int, startYear: Int) -> String {
        "результат ВПР весны \(spring) года позже учебного года \(startYear)/\(startYear + 1); "
            + "укажите --school-year \(spring - 1)/\(spring)"
    }

    static func asOfOutsideSchoolYear(_ asOf: Day?, startYear: Int) -> String {
        guard let asOf else { return "не удалось определить дату среза в учебном году \(startYear)/\(startYear + 1)" }
        return "дата среза \(asOf.russian) вне учебного года \(startYear)/\(startYear + 1)"
    }

    /// The built-in layouts as the summary names them.
    static let sgoJournalTitle = "СГО: классный журнал по предмету"
    static let sgoPupilReportTitle = "СГО: отчёт об успеваемости и посещаемости ученика"
    static let sgoSummaryTitle = "СГО: сводная ведомость"
    static let elJurTitle = "ЭлЖур: журнал ученика"
    static let fisOkoTitle = "ФИС ОКО: ВПР, индивидуальные результаты (Ф1)"

    /// The layout of a source read by a mapping file, as the summary names it.
    static func mappingLayout(_ title: String) -> String { "сопоставление «\(title)»" }

    static func unknownLayout(kind: SourceKind, known: [String]) -> String {
        let builtIn = known.isEmpty ? "встроенных пока нет" : "встроенные: \(known.joined(separator: ", "))"
        return "\(kind.title): выгрузку такого вида Маяк не знает (\(builtIn)); "
            + "укажите --mapping ФАЙЛ с описанием её столбцов (см. docs/import.md)"
    }

    static func cannotWriteSnapshot(_ why: String) -> String { "не удалось записать снимок: \(why)" }

    static func snapshotFailsChecks(_ shown: String) -> String {
        "собранный снимок не проходит проверку, которую делает mayak check:\n\(shown)"
    }

    // MARK: - files

    static let noSuchFile = "нет такого файла"

    static func sourceTooLarge(bytes: Int) -> String {
        "\(bytesCount(bytes)) или больше; ожидалась выгрузка не больше 512 МБ"
    }

    /// `1 байт`, `3 байта`, `1 048 576 байт`.
    static func bytesCount(_ n: Int) -> String { Russian.counted(n, "байт", "байта", "байт") }

    static func notYAML(_ why: String) -> String { "неверный YAML: \(why)" }

    /// libyaml's commonest problems in Russian; any other is quoted as libyaml says it.
    static func yamlProblem(_ problem: String) -> String {
        let known: [String: String] = [
            "mapping values are not allowed in this context": "здесь не может начинаться значение ключа (лишнее «:»?)",
            "mapping keys are not allowed in this context": "здесь не может стоять ключ",
            "block sequence entries are not allowed in this context": "здесь не может начинаться элемент списка «-»",
            "did not find expected key": "не найден ожидаемый ключ (неровный отступ?)",
            "did not find expected node content": "не найдено ожидаемое значение",
            "did not find expected '-' indicator": "не найден ожидаемый элемент списка «-»",
            "did not find expected ',' or ']'": "не найдено ожидаемое «,» или «]»",
            "did not find expected ',' or '}'": "не найдено ожидаемое «,» или «}»",
            "could not find expected ':'": "не найдено ожидаемое «:»",
            "found unexpected ':'": "лишнее «:»",
            "found unexpected end of stream": "файл кончился раньше времени (не закрыта кавычка или скобка?)",
            "found character that cannot start any token": "символ, с которого ничего не может начинаться",
            "found a tab character that violates indentation": "табуляция в отступе; отступайте пробелами",
            "found a tab character where an indentation space is expected":
                "табуляция там, где ожидался пробел отступа; отступайте пробелами",
            "found unknown escape character": "неизвестный символ после «\\»",
            "found undefined tag handle": "неизвестный тег",
            "control characters are not allowed": "в файле управляющие символы",
        ]
        return known[problem] ?? "ошибка разбора (libyaml: «\(problem)»)"
    }

    static func yamlDuplicateKeys(_ keys: [String]) -> String {
        "ключ повторяется: \(keys.sorted().map { "«\($0)»" }.joined(separator: ", "))"
    }

    // MARK: - calendar files (--calendar FILE)

    static let noSuchCalendarFile =
        "нет такого файла календаря (и это не готовый календарь: quarters, trimesters, half-years)"

    static func calendarRefused(_ why: String) -> String { "файл календаря: \(why)" }

    static let calendarTooLarge = "файл календаря больше 256 КБ; ожидалась страница YAML"
    static let calendarNotUTF8 = "файл календаря — не текст в UTF-8; сохраните его в UTF-8"
    static let calendarNoPeriods = "ожидался ключ periods: список { id, name, kind, grades, start, end }"
    static let calendarPeriodShape = "период записывается как { id, name, kind, grades, start, end }"
    static let calendarPeriodNoID = "у периода нет id (Q1, H2, Y, …)"

    static func calendarPeriodKind(_ id: String) -> String {
        "период «\(id)»: kind — это quarter, half-year или year"
    }

    static func calendarPeriodDates(_ id: String) -> String {
        "период «\(id)»: start и end — даты вида ГГГГ-ММ-ДД, и start не позже end"
    }

    static func calendarPeriodGrades(_ id: String, found: String) -> String {
        "период «\(id)»: grades — это N или N-M в пределах 1–11, а здесь «\(found)»"
    }

    static func calendarPeriodTwice(_ id: String) -> String { "период «\(id)» указан дважды" }

    static let calendarOneSchoolYear = "периоды должны лежать в одном учебном году (1 сентября – 31 августа)"

    // MARK: - journal cells and marks

    /// A journal cell that is neither marks nor attendance codes; `token` is the first bad part.
    static func notAJournalCell(token: String, in text: String) -> String {
        let what = token == text.lowercased().trimmingSpaces() ? "«\(text)»" : "«\(token)» в «\(text)»"
        return "\(what) — не отметка; ожидалась отметка 1–5, н/а, осв, зач, незач "
            + "или код посещаемости Н, Б, УП, НП, ОП"
    }

    static func notAMark(_ text: String) -> String {
        "«\(text)» — не отметка; ожидалась отметка 1–5, н/а, осв, зач или незач"
    }

    static func notAPeriodMark(_ text: String) -> String {
        "«\(text)» — не отметка за период; ожидалась отметка 1–5, н/а, осв, зач или незач"
    }

    static func notAPeriodMarkOfExport(_ text: String) -> String {
        "«\(text)» — не отметка за период выгрузки; ожидалась отметка 1–5, н/а, осв, зач или незач"
    }

    static func severalPeriodMarks(_ text: String, taken: String) -> String {
        "в «\(text)» несколько отметок; отметкой за период взята последняя, «\(taken)»"
    }

    static func notAWeight(_ text: String) -> String {
        "«\(text)» — не вес; ожидался вес 0,1…10, не больше двух знаков после запятой"
    }

    // MARK: - dates, classes, names

    static func notADate(_ text: String) -> String { "«\(text)» — не дата; ожидалась дата вида ДД.ММ.ГГГГ" }

    static func notADateOrISO(_ text: String, giveSchoolYear: Bool) -> String {
        "«\(text)» — не дата; ожидалась дата вида ДД.ММ.ГГГГ или ГГГГ-ММ-ДД"
            + (giveSchoolYear ? " (для ДД.ММ укажите --school-year)" : "")
    }

    static func noSuchDate(_ text: String) -> String { "нет такой даты: «\(text)»" }

    static func noSuchDay(_ day: Int, month: Int) -> String {
        "нет такого дня: \(day).\(month < 10 ? "0" : "")\(month)"
    }

    static func notAClass(_ text: String, example: String) -> String {
        "«\(text)» — не класс; ожидались параллель и буква, например \(example)"
    }

    static func notAGrade(_ text: String) -> String { "«\(text)» — не параллель; ожидалось число 1–11" }

    static let emptyPupilName = "пустое имя ученика; ожидалось ФИО ученика"
    static let emptySubject = "пустой предмет; ожидалось название предмета"

    // MARK: - CSV

    static let notUTF8Byte =
        "байт не из UTF-8 в файле, который читается как UTF-8; он прочитан как «\u{FFFD}» "
        + "(если файл в Windows-1251, укажите --encoding cp1251)"

    static func tooManyFields(_ limit: Int) -> String {
        "больше \(Russian.number(limit)) полей в одной строке; ожидалась таблица"
    }

    static let textAfterQuote = "текст после закрывающей кавычки; ожидался разделитель или конец строки"

    static func fieldTooLong(_ limit: Int) -> String {
        "поле длиннее \(Russian.number(limit)) символов; ожидалась таблица"
    }

    static let quoteNotClosed = "кавычка, открытая здесь, не закрыта; ожидалась закрывающая кавычка «\"»"

    // MARK: - XLSX

    static let notAZIP = "не книга XLSX: файл — не архив ZIP"
    static let damagedZIP =
        "не книга XLSX: архив ZIP обрезан или повреждён (его центральный каталог не читается)"

    static func zipLacks(_ part: String) -> String { "не книга XLSX: в ZIP нет \(part)" }

    /// Why a ZIP entry's data cannot be had.
    enum EntryDamage {
        case noLocalHeader, pastTheEnd, endsTooEarly, corrupt, checksum

        var text: String {
            switch self {
            case .noLocalHeader: return "не найден его локальный заголовок"
            case .pastTheEnd: return "его данные выходят за конец файла"
            case .endsTooEarly: return "его сжатые данные обрываются"
            case .corrupt: return "его сжатые данные испорчены"
            case .checksum: return "не сходится его контрольная сумма"
            }
        }
    }

    static func entryDamaged(_ part: String, _ why: EntryDamage) -> String {
        "элемент ZIP \(part) повреждён: \(why.text)"
    }

    static func entryTooLarge(_ part: String, mebibytes: Int) -> String {
        "элемент ZIP \(part) распаковывается больше чем в \(Russian.number(mebibytes)) МБ "
            + "(файл повреждён или это zip-бомба)"
    }

    static func sheetRelationshipMissing(sheet: String, id: String) -> String {
        "лист «\(sheet)» ссылается на связь \(id), которой нет в xl/_rels/workbook.xml.rels"
    }

    static func sheetPartMissing(sheet: String, part: String) -> String {
        "лист «\(sheet)» — это \(part), но такой части в ZIP нет"
    }

    static let sheetWithoutName = "в xl/workbook.xml есть лист без имени или без id связи"

    /// What a cell reference in a sheet part belongs to.
    enum Reference {
        case cell, mergedRange

        func named(_ reference: String) -> String {
            switch self {
            case .cell: return "ссылка на ячейку \(reference)"
            case .mergedRange: return "объединённый диапазон с ячейкой \(reference)"
            }
        }
    }

    static func pastLastColumn(_ what: Reference, _ reference: String) -> String {
        "\(what.named(reference)) выходит за столбец XFD, последний на листе XLSX"
    }

    static func pastLastRow(_ what: Reference, _ reference: String) -> String {
        "\(what.named(reference)) выходит за строку \(Russian.number(1_048_576)), последнюю на листе XLSX"
    }

    static func malformedReference(_ what: Reference, _ reference: String) -> String {
        switch what {
        case .cell: return "неверная ссылка на ячейку «\(reference)»; ожидалась ссылка вида D14"
        case .mergedRange: return "неверная ячейка «\(reference)» объединённого диапазона; ожидалась ячейка вида D14"
        }
    }

    static let cellPastLastColumn = "ячейка выходит за столбец XFD, последний на листе XLSX"
    static let cellPastLastRow = "ячейка выходит за строку \(Russian.number(1_048_576)), последнюю на листе XLSX"

    static func malformedRowNumber(_ text: String) -> String {
        "неверный номер строки «\(text)»; ожидалось число от 1 до \(Russian.number(1_048_576))"
    }

    static func malformedMergedRange(_ text: String) -> String {
        "неверный объединённый диапазон «\(text)»; ожидался диапазон вида B3:B9"
    }

    static func sharedStringMissing(_ index: String, count: Int) -> String {
        "ячейка ссылается на общую строку «\(index)», а в xl/sharedStrings.xml "
            + Russian.counted(count, "строка", "строки", "строк")
    }

    static func expectedNumberInCell(_ found: String) -> String { "ожидалось число в ячейке, а здесь «\(found)»" }

    static func workbookTooManyCells(_ limit: Int) -> String {
        "в книге больше \(Russian.number(limit)) ячеек (считая пустые перед заполненной ячейкой в её строке) — "
            + "больше, чем читает Маяк"
    }

    static func partDeclaresDoctype(_ part: String) -> String {
        "в \(part) объявлен DOCTYPE, которого в частях XLSX не бывает (не читается: его сущности могут разрастись)"
    }

    static func noXMLParser(_ part: String) -> String {
        "не удалось запустить разбор XML для \(part) (не хватило памяти?)"
    }

    static func malformedXML(_ part: String, line: Int, column: Int, code: Int) -> String {
        let at = line > 0 ? " в строке \(line), столбце \(column)" : ""
        return "в \(part) ожидался правильный XML, а он испорчен\(at) (код ошибки XML \(code))"
    }

    // MARK: - Excel 97–2003 (BIFF, FreeXL)

    static let passwordProtected =
        "книга защищена паролем (зашифрована); чтобы импортировать её, сохраните её заново без пароля"

    /// What FreeXL was asked to do when it failed.
    enum FreeXLStep {
        case countSheets
        case readSheetName(Int)
        case openSheet(String)
        case sizeSheet(String)

        var text: String {
            switch self {
            case .countSheets: return "сосчитать листы книги"
            case .readSheetName(let n): return "прочитать имя листа \(n)"
            case .openSheet(let name): return "открыть лист «\(name)»"
            case .sizeSheet(let name): return "узнать размеры листа «\(name)»"
            }
        }
    }

    static func freeXLFailed(_ step: FreeXLStep, code: String) -> String {
        "FreeXL не смог \(step.text) (\(code)); книга, возможно, повреждена"
    }

    static func freeXLCellFailed(code: String) -> String {
        "FreeXL не смог прочитать эту ячейку (\(code)); книга, возможно, повреждена"
    }

    static func freeXLError(_ status: Int32) -> String { "ошибка FreeXL \(status)" }

    static func sheetSize(rows: Int, columns: Int) -> String {
        "\(Russian.counted(rows, "строка", "строки", "строк")) на \(Russian.counted(columns, "столбец", "столбца", "столбцов"))"
    }

    static func sheetDeclaresTooMuch(rows: Int, columns: Int) -> String {
        "размер листа по файлу — \(sheetSize(rows: rows, columns: columns)); на листе Excel 97–2003 не больше "
            + "\(Russian.number(65_536)) строк и 256 столбцов (файл повреждён)"
    }

    static func workbookTooLarge(rows: Int, columns: Int, maxCells: Int) -> String {
        "лист — \(sheetSize(rows: rows, columns: columns)); книги больше чем из \(Russian.number(maxCells)) ячеек "
            + "не читаются"
    }

    static func xlsFileTooLarge(bytes: Int) -> String {
        "размер файла — \(bytesCount(bytes)); книги больше 64 МБ не читаются"
    }

    /// What a file given as an Excel 97–2003 workbook is instead.
    enum NotBIFF {
        case html, zip, empty, noSignature

        var text: String {
            switch self {
            case .html: return "это страница HTML (так СГО сохраняет свои отчёты под именем .xls)"
            case .zip: return "это архив ZIP, как книга XLSX"
            case .empty: return "файл пуст"
            case .noSignature: return "файл не начинается с подписи составного файла OLE2"
            }
        }
    }

    static func notBIFF(_ why: NotBIFF) -> String { "не книга Excel 97–2003 (BIFF): \(why.text)" }

    static let xlsCannotOpen = "файл не открывается"
    static let xlsOutOfMemory = "не хватило памяти, чтобы открыть книгу"

    static func xlsBadHeader(code: String) -> String {
        "не книга Excel 97–2003 (BIFF): неверный заголовок составного файла OLE2 (\(code))"
    }

    static func xlsDamagedCompoundFile(code: String) -> String {
        "ожидалась книга Excel 97–2003 (BIFF), но её составной файл OLE2 повреждён или обрезан (\(code))"
    }

    static func xlsNoWorkbook(code: String) -> String {
        "ожидалась книга Excel 97–2003 (BIFF), но в составном файле нет книги (\(code))"
    }

    static let xlsCrafted = "книга повреждена так, будто её сделали для атаки на программы чтения; она не читается"

    static func xlsCodePage(code: String) -> String {
        "текст книги в кодовой странице, которую нельзя прочитать (\(code))"
    }

    static func xlsDamaged(code: String) -> String {
        "ожидалась книга Excel 97–2003 (BIFF), но она повреждена (\(code))"
    }

    // MARK: - the .xls reader's child process

    static func xlsReaderNotStarted(_ why: String) -> String {
        "программа чтения Excel 97–2003 не запустилась (\(why))"
    }

    static let redo = "файл повреждён или подделан — откройте его в Excel и сохраните заново"

    static func freeXLSignaled(_ signal: Int32, name: String?) -> String {
        "FreeXL остановлен сигналом \(signal)\(name.map { " (\($0))" } ?? "") при чтении этой книги; \(redo)"
    }

    static func freeXLTimedOut(_ duration: Duration) -> String {
        "FreeXL не дочитал эту книгу за \(seconds(duration)) и был остановлен; \(redo)"
    }

    /// `60 с`, `0,3 с`.
    static func seconds(_ d: Duration) -> String {
        let (whole, atto) = d.components
        return atto == 0
            ? "\(Russian.number(Int(whole))) с" : "\(Russian.fixed(Double(whole) + Double(atto) / 1e18, places: 1)) с"
    }

    static func xlsOutputTooLarge(_ bound: Int) -> String {
        let shown = bound >= 1 << 20 ? "\(Russian.number(bound >> 20)) МБ" : bytesCount(bound)
        return "прочитанные ячейки книги занимают больше \(shown); книга не читается"
    }

    static func childNoResult(status: Int32, said: String) -> String {
        "процесс FreeXL завершился с кодом \(status), не выдав результата\(said); \(redo)"
    }

    static func childMalformedResult(status: Int32, reason: String, said: String) -> String {
        "процесс FreeXL завершился с кодом \(status), выдав испорченный результат (\(reason))\(said); \(redo)"
    }

    static func childContradicts(status: Int32) -> String {
        "процесс FreeXL завершился с кодом \(status), а его результат говорит обратное; \(redo)"
    }

    static let noCommand = "команда не задана"

    static func cannotMakePipe(_ why: String) -> String { "не удалось создать канал: \(why)" }

    static func cannotStart(_ program: String, _ why: String) -> String { "не удалось запустить \(program): \(why)" }

    /// An error number of the system: the commonest in Russian, any other as the system says it.
    static func systemError(_ code: Int32) -> String {
        switch code {
        case ENOENT: return "нет такого файла или папки"
        case EACCES: return "нет доступа"
        case ENOEXEC: return "файл не является программой"
        case ENOTDIR: return "часть пути — не папка"
        case ENOMEM: return "не хватает памяти"
        case EMFILE, ENFILE: return "открыто слишком много файлов"
        case EAGAIN: return "не хватает ресурсов, попробуйте ещё раз"
        case E2BIG: return "слишком длинная командная строка"
        default: return "ошибка системы \(code): «\(String(cString: strerror(code)))»"
        }
    }

    // MARK: - the child's frame (GridWire)

    static func frameNoMagic(_ magic: String) -> String { "он не начинается с \(magic)" }

    static func frameTooManyRows(_ limit: Int, at offset: Int) -> String {
        "больше \(Russian.number(limit)) строк на байте \(Russian.number(offset))"
    }

    static func frameTooManyCells(_ limit: Int, at offset: Int) -> String {
        "больше \(Russian.number(limit)) ячеек на байте \(Russian.number(offset))"
    }

    static func frameUnknownTag(_ tag: UInt8, at offset: Int) -> String {
        "неизвестный тег кадра \(tag) на байте \(Russian.number(offset))"
    }

    static func frameTrailingBytes(_ n: Int, at offset: Int) -> String {
        "\(bytesCount(n)) после кадра, начиная с байта \(Russian.number(offset))"
    }

    static func frameCountTooLarge(_ n: Int, at offset: Int, left: Int) -> String {
        "число \(Russian.number(n)) на байте \(Russian.number(offset)) больше, чем вмещают оставшиеся "
            + bytesCount(left)
    }

    static func frameTextPastEnd(length: Int, at offset: Int) -> String {
        "текст на байте \(Russian.number(offset)) длиной \(bytesCount(length)) выходит за конец"
    }

    static func frameTextNotUTF8(at offset: Int) -> String { "текст на байте \(Russian.number(offset)) — не UTF-8" }

    static func frameCutShort(after count: Int, at offset: Int) -> String {
        "он обрывается после \(bytesCount(count)), посреди значения на байте \(Russian.number(offset))"
    }

    // MARK: - HTML

    static func pageTooLarge(bytes: Int) -> String {
        "размер страницы HTML — \(bytesCount(bytes)); страницы больше 64 МБ не читаются"
    }

    static let pageTooLargeToRead = "страница HTML слишком велика, чтобы её прочитать"
    static let pageOutOfMemory = "не хватило памяти, чтобы прочитать страницу"
    static let notAnHTMLPage = "libxml2 не смогла прочитать файл как страницу HTML"
    static let pageStoppedPartway =
        "libxml2 прервала чтение страницы на полпути (элементы вложены глубже 256 уровней или страница "
        + "повреждена безнадёжно): чтобы не брать половину страницы, не прочитано ничего"

    static func pageTooManyCells(_ limit: Int) -> String {
        "на странице больше \(Russian.number(limit)) ячеек таблиц (считая те, что покрывают rowspan и colspan); "
            + "она не читается"
    }

    // MARK: - built-in layouts: СГО, ЭлЖур

    /// The document a built-in layout reads, for «в журнале не указан класс».
    enum Document {
        case journal, report, summary, export

        /// «в журнале», «в отчёте», «в сводной ведомости», «в выгрузке».
        var inIt: String {
            switch self {
            case .journal: return "в журнале"
            case .report: return "в отчёте"
            case .summary: return "в сводной ведомости"
            case .export: return "в выгрузке"
            }
        }
    }

    static func noClass(in document: Document) -> String {
        "\(document.inIt) не указан класс (строка «Класс: 7А» над таблицей)"
    }

    static func noSchool(in document: Document) -> String { "\(document.inIt) не указана школа; укажите --school" }

    static func journalNamesakes(_ name: String, classLabel: String, rows: (Int, Int)) -> String {
        "двое учеников «\(name)» в \(classLabel): строки \(rows.0) и \(rows.1) "
            + "(в журнале нет дат рождения, чтобы их различить)"
    }

    static let reportNoSchoolYear =
        "в отчёте не указан учебный год (строка «Учебный год: 2025/2026»); укажите --school-year"

    static let periodMarkNoPeriod =
        "отметка за период, но в отчёте не указан период (строка «Период: с … по …»); не записана"

    static func dateWithoutYear(_ text: String) -> String {
        "в «\(text)» нет года, а в выгрузке не указан учебный год; укажите --school-year"
    }

    // MARK: - ФИС ОКО: the form Ф1 and the code list (--codes)

    static func noCodeList(searched rows: Int) -> String {
        "это не список кодов участников: в первых \(rows) строках нет строки заголовка со столбцом кода "
            + "(«Код участника», «Код» или «Код ученика») и столбцом имени («ФИО», «Ученик» или «ФИО ученика»)"
    }

    static func codeTwiceInList(_ code: String, first: String, name: String) -> String {
        "код участника \(code) дважды в списке кодов: он есть и в \(first) (\(name)); каждый код — это один ученик"
    }

    static func emptyNameForCode(_ code: String) -> String {
        "пустое имя ученика у кода участника \(code); ожидалось ФИО ученика"
    }

    static func notAForm(searched rows: Int) -> String {
        "не форма Ф1 ФИС ОКО: ни на одном листе в первых \(rows) строках нет строки заголовка "
            + "с «Код участника» и «Первичный балл»"
    }

    /// One error for all the participant codes the code list lacks (or all, without a list).
    static func codesMissing(
        first: String, others: [(code: String, location: String)], rest: Int, total: Int, listGiven: Bool
    ) -> String {
        var message =
            listGiven
            ? "кода участника \(first) нет в списке кодов"
            : "код участника \(first): не указан список кодов (--codes ФАЙЛ)"
        if !others.isEmpty {
            let listed = others.map { "\($0.code) (\($0.location))" }.joined(separator: ", ")
            let more = rest > 0 ? " и ещё \(Russian.number(rest))" : ""
            message +=
                (listGiven ? "; нет и " : "; как и ") + listed + more
                + " (всего \(Russian.counted(total, "код", "кода", "кодов")))"
        }
        return message
            + "; каждому участнику нужен ученик: впишите каждый код с ФИО и классом ученика "
            + "(--codes: «Код участника», «ФИО», «Класс»)"
    }

    static func noFormTitle(searched rows: Int) -> String {
        "в первых \(rows) строках нет заголовка «ВПР <год> <предмет> <N> класс»: год и параллель формы не известны"
    }

    static func notAMaximumScore(_ text: String) -> String {
        "«\(text)» — не максимальный балл; ожидалось число больше 0"
    }

    static func notAVPRDate(_ text: String) -> String {
        "«\(text)» — не дата; ожидалась дата вида ДД.ММ.ГГГГ (дата ВПР не учтена)"
    }

    static let noMarkColumn = "в строке заголовка нет столбца «Отметка»; ожидался столбец «Отметка» формы Ф1"

    static let noWorkMaximum =
        "над таблицей нет строки «Максимальный первичный балл», и нет столбцов заданий вида «1 (2б)»: "
        + "максимум за работу не известен"

    static func codeTwiceInForm(_ code: String, first: String) -> String {
        "код участника \(code) есть и в \(first): у одного участника две строки одной формы"
    }

    static func notAVPRMark(_ text: String) -> String {
        "«\(text)» — не отметка ВПР; ожидалась отметка 2–5 (или X, если участник не писал)"
    }

    static func notAPrimaryScore(_ text: String) -> String {
        "«\(text)» — не первичный балл; ожидалось число, например 12"
    }

    static func primaryScoreAboveMaximum(_ score: String, maximum: String) -> String {
        "первичный балл \(score) больше максимума за работу \(maximum)"
    }

    static func notATaskScore(_ text: String, task: String, maximum: String) -> String {
        "«\(text)» — не балл за задание \(task); ожидалось 0–\(maximum) или X, если балла нет"
    }

    static func taskScoreAboveMaximum(task: String, score: String, maximum: String) -> String {
        "задание \(task): балл \(score) больше его максимума \(maximum)"
    }

    static func primaryScoreNotSum(_ score: String, sum: String) -> String {
        "первичный балл \(score) не равен сумме баллов за задания (\(sum)); записан первичный балл формы"
    }

    static func noClassForCode(_ code: String) -> String {
        "код участника \(code): класс не указан ни в списке кодов, ни в форме; добавьте в список кодов столбец «Класс»"
    }

    static let formNoSchool = "школа не известна: в форме нет кода школы (eduNNNNNN), и --school не указан"

    // MARK: - mapping files (--mapping)

    static func noSuchBuiltInMapping(builtIn: [String]) -> String {
        "нет такого встроенного сопоставления; встроены: \(builtIn.joined(separator: ", "))"
    }

    static let noSuchMappingFile = "нет такого файла сопоставления"

    static func mappingRefused(_ why: String) -> String { "файл сопоставления: \(why)" }

    static let mappingTooLarge = "файл сопоставления больше 256 КБ; ожидалась страница YAML"
    static let mappingNotUTF8 = "файл сопоставления — не текст в UTF-8; сохраните его в UTF-8"
    static let mappingNotAMapping = "ожидался словарь YAML с ключами вроде pupil:, class:, subject:, mark:"
    static let mappingFormat = "эта версия Маяка читает сопоставления формата 1 (mapping: 1)"
    static let mappingHeaderRow = "header_row — номер строки, начиная с 1"
    static let mappingKeyDuplicates = "key_duplicates — это «error» или «number»"

    static func mappingUnknownKey(_ key: String, didYouMean: String?) -> String {
        "неизвестный ключ «\(key)»" + (didYouMean.map { "; может быть, имелось в виду «\($0)»?" } ?? "")
    }

    static let mappingNoPupil =
        "в сопоставлении не указан ученик: задайте pupil: (столбец с ФИО) или key: (столбцы)"
    static let mappingMarkNeedsDate = "для mark: нужен date: (столбец с датами отметок)"

    static func mappingIsText(_ key: String) -> String { "\(key) — это текст" }
    static func mappingIsColumnList(_ key: String) -> String { "\(key) — это список имён столбцов" }

    static let mappingByFile = "by_file — это словарь: часть имени файла → значение"

    static func mappingSourceShape(_ key: String) -> String {
        "\(key) — это имя столбца или одно из { column: … }, { value: … }, { template: \"{Фамилия} {Имя}\" }, "
            + "{ by_file: {…} }"
    }

    static func mappingSourceKind(_ key: String, found: String) -> String {
        "\(key): ожидалось column, value или template, а здесь «\(found)»"
    }

    static let mappingWideList = "wide — это список групп столбцов"
    static let mappingWideGroup = "группа столбцов в wide — это словарь"
    static let mappingWideAs = "as — это «marks» (столбец на каждую дату) или «period_marks» (столбец на каждый период)"

    static func mappingNotARegex(_ pattern: String) -> String { "не регулярное выражение: «\(pattern)»" }

    static let mappingWidePeriods = "periods — это словарь: заголовок столбца → id периода"

    static func mappingWideUnknownKey(_ key: String) -> String {
        "неизвестный ключ «\(key)» в группе wide; ожидались as, columns, periods, subject, work_type"
    }

    static let mappingWideNeedsAs = "группе wide нужен as: marks или as: period_marks"
    static let mappingWideNeedsColumns = "группе wide нужен columns: (список) или columns: { matching: … }"

    static func mappingWideNoPeriod(column: String) -> String {
        "period_marks: у столбца «\(column)» нет периода в periods:"
    }

    static let mappingValuesList = "values — это список вроде - { range: 0-9, to: 2 } или - { text: \"\", to: skip }"
    static let mappingValueRule =
        "правило values — это { range: A-B, to: ОТМЕТКА } или { text: T, to: ОТМЕТКА }; to: обязателен"
    static let mappingValueRange = "range — это два числа, например 0-9"
    static let mappingValueRuleNeeds = "правилу values нужен range: или text:"

    // MARK: - reading by a mapping

    static func noSuchSheet(_ sheet: String, has: [String]) -> String {
        "нет листа «\(sheet)» (sheet: в сопоставлении); в файле есть: \(has.map { "«\($0)»" }.joined(separator: ", "))"
    }

    static func noHeaderRow(columns: [String], searched rows: Int, mapping: String) -> String {
        "в первых \(rows) строках нет строки заголовка со столбцами \(columns.map { "«\($0)»" }.joined(separator: ", ")) "
            + "(\(mappingLayout(mapping)))"
    }

    static func headerLacksColumn(_ column: String, mapping: String, has: [String]) -> String {
        "в строке заголовка нет столбца «\(column)» (\(mappingLayout(mapping))); в ней есть: "
            + has.map { "«\($0)»" }.joined(separator: ", ")
    }

    static let wideMatchesNothing = "ни один столбец не подходит под columns группы wide"
    static let periodMarkWithoutSubject = "отметка за период без предмета; добавьте в сопоставление subject:"
    static let markWithoutSubject = "отметка без предмета; добавьте в сопоставление subject:"
    static let mappingNoSchool = "школа не известна: в сопоставлении нет school:, и --school не указан"

    static func duplicateKey(columns: [String], first: String) -> String {
        "ключ этой строки (\(columns.joined(separator: ", "))) совпадает с ключом строки \(first); "
            + "добавьте столбцы в key: или задайте key_duplicates: number"
    }

    static func noValueRule(_ text: String) -> String {
        "«\(text)» не подходит ни под одно правило values сопоставления"
    }

    // MARK: - an earlier import read back

    static func notAnImportDate(_ text: String) -> String {
        "«\(text)» — не дата; ожидалась дата вида ГГГГ-ММ-ДД, как пишет mayak import"
    }

    static let tableMissing = "файла нет; эту папку снимка писал не mayak import"

    static func tableUnreadable(_ why: String) -> String { "не читается: \(why)" }

    static func tableLacksColumn(_ column: String) -> String {
        "нет столбца «\(column)»; эту папку снимка писал не mayak import"
    }

    static func namesakesInClass(_ name: String, classLabel: String, ids: [String]) -> String {
        "«\(name)» (\(classLabel)): в снимке \(Russian.counted(ids.count, "ученик", "ученика", "учеников")) "
            + "с таким именем в этом классе (\(ids.joined(separator: ", "))), а в выгрузке нет даты рождения, "
            + "чтобы их различить"
    }

    static func namesakesElsewhere(_ name: String, classLabel: String, ids: [String]) -> String {
        "«\(name)» (\(classLabel)) — новый ученик класса, а в других классах школы "
            + "\(Russian.counted(ids.count, "ученик", "ученика", "учеников")) с таким именем "
            + "(\(ids.joined(separator: ", "))); укажите даты рождения, чтобы было видно, кто из них перешёл"
    }

    // MARK: - the summary's assumptions (inferences)

    static func severalMarks(file: String, cells: Int, first: String, at location: String) -> String {
        "\(file): \(Russian.counted(cells, "ячейка", "ячейки", "ячеек")) с несколькими отметками "
            + "(первая — «\(first)», \(location)): каждая отметка записана отдельно"
    }

    static func schoolYearFromVPR(spring: Int) -> String {
        "нет ни одной датированной отметки или пропуска — учебный год \(spring - 1)/\(spring) взят по году ВПР "
            + "(весна \(spring))"
    }

    static func asOfFromVPR(_ day: Day) -> String {
        "нет ни одной датированной отметки или пропуска — дата среза взята по дате ВПР: \(day.russian)"
    }

    static func asOfFromPeriodEnd(_ day: Day, vprWithoutDate: Bool) -> String {
        vprWithoutDate
            ? "в форме ВПР нет даты — дата среза взята по концу последнего периода: \(day.russian)"
            : "нет ни одной датированной отметки или пропуска — дата среза взята по концу последнего периода "
                + "с отметками: \(day.russian)"
    }

    /// A source that gives its marks no work type.
    enum WithoutWorkTypes {
        case sgoJournal, sgoReport, elJur, table

        var text: String {
            switch self {
            case .sgoJournal: return "в журнале СГО нет видов работ"
            case .sgoReport: return "в отчёте СГО нет видов работ"
            case .elJur: return "в выгрузке ЭлЖур нет видов работ"
            case .table: return "в таблице нет вида работы"
            }
        }
    }

    static func noWorkTypes(file: String, _ source: WithoutWorkTypes) -> String {
        "\(file): \(source.text) — отметки записаны как «\(ImportOptions.defaultWorkType)» с весом 1"
    }

    static func summaryRowsSkipped(file: String, row: String, count: Int) -> String {
        "\(file): строки «\(row)» (\(Russian.number(count))) не записаны — в снимке нет такого периода"
    }

    static func abbreviatedSubjects(file: String, _ pairs: [String]) -> String {
        "\(file): сокращённые названия предметов: \(pairs.joined(separator: ", "))"
    }

    /// `«Алгеб» — «Алгебра»`.
    static func abbreviation(_ header: String, _ subject: String) -> String { "«\(header)» — «\(subject)»" }

    static func classByGradeOnly(file: String, label: String, grade: Int) -> String {
        "\(file): класс указан только параллелью (\(label)) — записан как «\(grade)А»"
    }

    static func workMaximumFromTasks(file: String, sum: String) -> String {
        "\(file): в форме нет строки «Максимальный первичный балл» — максимум \(sum) взят как сумма максимумов заданий"
    }

    /// `ВПР 2025, Русский язык, 5 класс`.
    static func vprWork(year: Int, subject: String, grade: Int) -> String { "ВПР \(year), \(subject), \(grade) класс" }

    static func vprAbsent(_ work: String, count: Int) -> String {
        let n = Russian.counted(count, "участник", "участника", "участников")
        let wrote = Russian.plural(count, "не писал", "не писали", "не писали")
        let recorded = Russian.plural(count, "не записан", "не записаны", "не записаны")
        return "\(work): \(n) без отметки (\(wrote)) \(recorded)"
    }

    /// What an optional column's absence means.
    enum MissingColumn {
        case weight, workType, birthDate
    }

    static func columnAbsent(file: String, column: String, meaning: MissingColumn) -> String {
        let then: String
        switch meaning {
        case .weight: then = "вес отметок 1"
        case .workType: then = "вид работы «\(ImportOptions.defaultWorkType)»"
        case .birthDate: then = "без даты рождения"
        }
        return "\(file): нет столбца «\(column)» — \(then)"
    }

    static func hoursFromCurriculum(pairs: Int) -> String {
        "часы в неделю для \(Russian.number(pairs)) \(Russian.plural(pairs, "пары", "пар", "пар")) «класс — предмет» "
            + "взяты из примерного учебного плана (ФООП)"
    }

    static func hoursUnknown(_ subjects: [String]) -> String {
        "часы в неделю неизвестны (нет в примерном учебном плане): \(subjects.map { "«\($0)»" }.joined(separator: ", "))"
    }
}
