import ArgumentParser
import MayakSnapshot

/// Every text of the CLI's help screens, in one place so that the wording can be reviewed
/// together: each command's abstract and discussion, and the help of its options, arguments
/// and flags. Flags and their values stay as they are typed (`--format json`, `--min-severity
/// high`); the placeholders of the usage lines are Russian (`<снимок>`, `<файл>`).
///
/// ArgumentParser's own words (headings, «(по умолчанию: …)», its errors) are in `Help.Parser`.
enum Help {
    // MARK: - The program

    enum Mayak {
        static let abstract = "Маяк: система раннего предупреждения для школ."
        static let discussion =
            "Читает снимки электронных журналов округа, проверяет их декларативными правилами раннего предупреждения и выдаёт предупреждения с доказательствами, индивидуальные планы и показатели, которыми пользуются отделы образования."
        static func version(_ program: String, rules: String) -> String {
            "mayak \(program) (встроенный набор правил \(rules))"
        }
    }

    // MARK: - Options shared by several commands

    /// Reading a snapshot (`SnapshotOptions`).
    enum Snapshot {
        static let folder = ArgumentHelp("Папка снимка (manifest.yaml и таблицы CSV).", valueName: "снимок")
        static let encoding = ArgumentHelp("Кодировка файлов CSV.", valueName: "кодировка")
        static let separator = ArgumentHelp("Разделитель полей.", valueName: "разделитель")
        static let maxProblems = ArgumentHelp("Сообщить не больше стольких ошибок.", valueName: "число")
        static let noCache = ArgumentHelp(
            "Читать файлы CSV, даже если есть годный двоичный кэш этого снимка (и не записывать кэш).")
    }

    /// Choosing and tuning rules (`RuleOptions`).
    enum Rules {
        static let rules = ArgumentHelp(
            "Папка или файл правил (можно несколько раз); по умолчанию встроенный набор (builtin:).",
            discussion:
                "Свои правила заменяют встроенный набор; чтобы добавить их к нему, назовите и его: --rules builtin: --rules ПАПКА. Встроенный набор выгружает mayak rules export ПАПКА.",
            valueName: "путь")
        static let overrides = ArgumentHelp(
            "Файл параметров округа (код-правила: { параметр: значение }).", valueName: "файл")
        static let set = ArgumentHelp(
            "Задать один параметр: код-правила.параметр=значение (можно несколько раз).",
            valueName: "правило.параметр=значение")
    }

    /// The history database (`StoreOptions`) and who acts (`ActorOptions`).
    enum Store {
        static let db = ArgumentHelp("База истории (SQLite).", valueName: "файл")
        static let actor = ArgumentHelp(
            "Ваше имя: оно записывается вместе с изменением (или задайте MAYAK_USER).", valueName: "имя")
    }

    /// What several commands call the same way.
    enum Common {
        static let school = ArgumentHelp("Только эта школа (school_id).", valueName: "школа")
        static let scopeClass = ArgumentHelp(
            "Только этот класс (class_id): его ученики и сам класс, без предупреждений школы.", valueName: "класс")
        static let pupil = ArgumentHelp("Ученик (pupil_id).", valueName: "ученик")
        static let rule = ArgumentHelp("Только это правило.", valueName: "правило")
        static let seed = "число"
    }

    // MARK: - Commands

    enum Demo {
        static let abstract =
            "Сгенерировать встроенный демо-округ, проверить его правилами и вывести сводку предупреждений и примеры планов."
        static let seed = ArgumentHelp("Зерно демо-округа.", valueName: Common.seed)
        static let keep = ArgumentHelp("Сохранить сгенерированный снимок и сказать, где он.")
    }

    enum Check {
        static let abstract =
            "Проверить снимок и вывести сводку: численность, успеваемость, качество знаний, СОУ, неуспевающие."
    }

    enum Import {
        static let abstract = "Прочитать выгрузки электронных журналов (XLSX, .xls, HTML из СГО, CSV) в папку снимка."
        static let discussion = """
            Создаёт папку снимка или обновляет папку, которую записал прежний импорт: ученики сохраняют свои \
            коды (identity.csv), а то, что покрывает выгрузка (предмет класса за её даты), заменяет прежнее \
            содержимое снимка. Новый снимок пишется рядом со своим местом, проверяется так же, как это делает \
            mayak check, и встаёт на место, только если проверка пройдена. См. docs/import.md.
            """
        static let files = ArgumentHelp("Файлы выгрузок.", valueName: "файл")
        static let into = ArgumentHelp("Папка снимка, которую создать или обновить.", valueName: "папка")
        static let mapping = ArgumentHelp(
            "Файл сопоставления, описывающий столбцы таблицы (см. mappings/ и docs/import.md).", valueName: "файл")
        static let profile = ArgumentHelp(
            "Встроенный макет по имени, вместо распознавания (см. docs/import.md).", valueName: "макет")
        static let codes = ArgumentHelp(
            "Список кодов участников ФИС ОКО и учеников школы (таблица: «Код участника», «ФИО», «Класс»).",
            valueName: "файл")
        static let schoolYear = ArgumentHelp(
            "Учебный год, например 2025/2026 (по умолчанию по датам выгрузок или по прежнему импорту в эту папку).",
            valueName: "год")
        static let calendar = ArgumentHelp(
            "quarters (четверти в 1–9 классах, полугодия в 10–11), trimesters или half-years; trimesters/1-11 — классы, которые по ним учатся; или файл календаря (docs/import.md).",
            valueName: "календарь")
        static let asOf = ArgumentHelp(
            "Дата снимка, ГГГГ-ММ-ДД (по умолчанию последняя дата в выгрузках).", valueName: "дата")
        static let school = ArgumentHelp("Код школы для выгрузок, в которых он не указан.", valueName: "школа")
        static let schoolName = ArgumentHelp(
            "Название школы в отчётах (по умолчанию её код).", valueName: "название")
        static let district = ArgumentHelp("Название округа в отчётах.", valueName: "название")
        static let dryRun = ArgumentHelp("Показать, что изменится, и ничего не записывать.")
    }

    enum Scan {
        static let abstract =
            "Проверить снимок правилами: предупреждения с доказательствами и индивидуальные планы."
        static let discussion = """
            Коды выхода: 0 — готово (предупреждения — не ошибка); 1 — в снимке или правилах есть ошибки; \
            2 — задан --fail-on и сработало предупреждение этой важности или выше.
            """
        static let minSeverity = ArgumentHelp(
            "Не показывать предупреждения ниже этой важности.", valueName: "важность")
        static let format = ArgumentHelp(
            "Вид вывода; csv — для Excel (UTF-8 с BOM, «;»).", valueName: "формат")
        static let out = ArgumentHelp("Записать в этот файл (атомарно), а не на стандартный вывод.", valueName: "файл")
        static let plans = ArgumentHelp("В таблице показать и индивидуальные планы.")
        static let failOn = ArgumentHelp(
            "Выйти с кодом 2, если есть предупреждение этой важности или выше.", valueName: "важность")
        static let db = ArgumentHelp(
            "Записать прогон и его предупреждения в эту базу истории (SQLite).", valueName: "файл")
        static let record = ArgumentHelp(
            "Записать прогон в mayak.sqlite в рабочей папке (то же, что --db mayak.sqlite).")
        static let timings = ArgumentHelp(
            "Вывести в стандартный поток ошибок, сколько времени заняли загрузка и правила.")
        static let engine = ArgumentHelp(
            "compiled — на всех ядрах, reference — простой интерпретатор, для сверки.", valueName: "движок")
    }

    enum Runs {
        static let abstract =
            "Записанные прогоны: когда, какой снимок и правила, сколько времени, сколько предупреждений."
    }

    enum Alerts {
        static let abstract = "Предупреждения в истории: список, подробности, работа с ними, выгрузка."
        static let school = ArgumentHelp("Только эта школа (school_id).", valueName: "школа")
        static let filterClass = ArgumentHelp("Только этот класс (class_id).", valueName: "класс")
        static let severity = ArgumentHelp("Не ниже этой важности.", valueName: "важность")
        static let status = ArgumentHelp(
            "Только с этим статусом: новые, сохраняющиеся, снятые или вернувшиеся.", valueName: "статус")
        static let new = ArgumentHelp(
            "Только новые (или вернувшиеся) на этой неделе, не отклонённые и не охваченные планом.")
        static let all = ArgumentHelp("Показать и снятые предупреждения (по умолчанию их нет в списке).")
        static let ids = ArgumentHelp(
            "Предупреждения: отпечатки или их первые символы (не меньше 4); несколько — одно действие с каждым.",
            valueName: "отпечаток")

        enum List { static let abstract = "Список предупреждений с их статусом." }
        enum Show {
            static let abstract = "Одно предупреждение: доказательства, история, действия с ним, его план."
            static let id = ArgumentHelp(
                "Предупреждение: его отпечаток или первые символы отпечатка (не меньше 4).", valueName: "отпечаток")
        }
        enum Acknowledge { static let abstract = "Взять предупреждение в работу." }
        enum Assign {
            static let abstract = "Назначить ответственного за предупреждение."
            static let to = ArgumentHelp("Кто им займётся.", valueName: "кто")
        }
        enum Comment {
            static let abstract = "Добавить комментарий."
            static let text = ArgumentHelp("Комментарий.", valueName: "текст")
        }
        enum Dismiss {
            static let abstract = "Отклонить предупреждение с причиной; оно вернётся, только если станет хуже."
            static let reason = ArgumentHelp("Почему оно отклонено.", valueName: "причина")
        }
        enum Resolve {
            static let abstract = "Отметить предупреждение решённым; оно откроется снова, если сработает ещё раз."
            static let note = ArgumentHelp("Что сделано.", valueName: "текст")
        }
        enum Reopen { static let abstract = "Снова открыть отклонённое или решённое предупреждение." }
        enum Export {
            static let abstract =
                "Выгрузить предупреждения с их статусом в CSV для русского Excel (UTF-8 с BOM, «;»)."
            static let out = ArgumentHelp("Файл CSV (записывается атомарно).", valueName: "файл")
        }
    }

    enum Plans {
        static let abstract =
            "Индивидуальные планы: принять предложенный план, отмечать выполненные пункты, закрыть план."
        static let plan = ArgumentHelp("Номер плана.", valueName: "план")

        enum Adopt {
            static let abstract =
                "Принять предложенный план ученика (по свежей проверке снимка) целиком или без некоторых пунктов."
            static let drop = ArgumentHelp(
                "Не включать этот пункт предложения (его номер; можно несколько раз).", valueName: "номер")
            static let add = ArgumentHelp(
                "Добавить пункт: \"мероприятие|роль|ГГГГ-ММ-ДД|как проверяется\", можно с \"|кто\" в конце (можно несколько раз).",
                valueName: "пункт")
        }
        enum Done {
            static let abstract = "Отметить пункт плана выполненным."
            static let item = ArgumentHelp("Номер пункта.", valueName: "пункт")
            static let date = ArgumentHelp("Когда выполнен (ГГГГ-ММ-ДД; по умолчанию сегодня).", valueName: "дата")
        }
        enum Close { static let abstract = "Закрыть план; его предупреждения больше не охвачены планом." }
        enum Show {
            static let abstract = "Принятые планы ученика с предупреждениями, на которые они отвечают."
            static let pupil = ArgumentHelp("Ученик (pupil_id); по умолчанию все планы.", valueName: "ученик")
        }
    }

    enum Diff {
        static let abstract =
            "Что изменилось: между двумя записанными прогонами или между двумя версиями правил на одном снимке."
        static let discussion = """
            mayak diff --run 3 --run 4                          два прогона из истории
            mayak diff СНИМОК --rules СТАРЫЕ/ --rules НОВЫЕ/    две версии правил
            mayak diff СНИМОК --set failing-two-subjects.threshold=2.6
            """
        static let snapshot = ArgumentHelp("Снимок, на котором сравнить версии правил.", valueName: "снимок")
        static let run = ArgumentHelp("Номер прогона (дважды: до и после).", valueName: "номер")
        static let format = ArgumentHelp("table или json.", valueName: "формат")
    }

    enum Explain {
        static let abstract = "Для одного ученика: сработало ли каждое правило и значения его частей."
    }

    enum Report {
        static let abstract =
            "Записать сайт отчёта: анализ по округу, страницы школ и классов, печатные планы учеников."
        static let previous = ArgumentHelp(
            "Снимок того же периода прошлого года, для сравнения с прошлым годом.", valueName: "снимок")
        static let pseudonymize = ArgumentHelp(
            "Заменить имена учеников постоянными кодами (для отчётов, которые уходят из школы).")
        static let pupilPages = ArgumentHelp(
            "Писать страницы учеников (с печатными планами) только для учеников с предупреждением не ниже этой важности (по умолчанию для всех из списка).",
            valueName: "важность")
        static let out = ArgumentHelp(
            "Папка для записи: новая, пустая или прежний отчёт (он будет заменён).", valueName: "папка")
        static let db = ArgumentHelp(
            "База истории: страницы классов покажут, что изменилось с прошлого прогона, страница округа — динамику.",
            valueName: "файл")
    }

    enum RuleCommands {
        static let abstract = "Наборы правил: встроенный в программу и свои."
        enum Export {
            static let abstract = "Выгрузить встроенный набор правил в папку, чтобы его править."
            static let discussion =
                "Пишет в новую (или пустую) папку файл VERSION и папку core с правилами. Затем: mayak scan СНИМОК --rules ПАПКА. Уже существующую папку с файлами не трогает: правки отдела не пропадут."
            static let folder = ArgumentHelp("Новая или пустая папка.", valueName: "папка")
        }
        enum List {
            static let abstract = "Перечислить правила набора: код, важность, уровень, название."
        }
    }

    enum TestRules {
        static let abstract =
            "Прогнать тестовые случаи каждого правила и сказать о каждом, пройден он или провален."
        static let paths = ArgumentHelp(
            "Папки или файлы правил (по умолчанию встроенный набор, builtin:).", valueName: "путь")
        static let quiet = ArgumentHelp("Выводить только проваленные случаи.")
        static let mutate = ArgumentHelp(
            "Мутационное тестирование: понемногу менять каждое правило, по одному изменению за раз, и сообщить об изменениях, которых не замечает ни один тестовый случай."
        )
        static let format = ArgumentHelp("С --mutate: вид отчёта.", valueName: "формат")
    }

    enum Generate {
        static let abstract = "Записать детерминированный синтетический округ в формате снимка."
        static let preset = ArgumentHelp(
            "district (8 школ, ~3000 учеников), city (~\(Russian.number(60_000))) или region (~\(Russian.number(250_000)) учеников, ~100 млн отметок).",
            valueName: "масштаб")
        static let seed = ArgumentHelp("Зерно: одно и то же зерно даёт одинаковые файлы.", valueName: Common.seed)
        static let asOf = ArgumentHelp(
            "Дата снимка (ГГГГ-ММ-ДД); учебный год — тот, в который она попадает.", valueName: "дата")
        static let truth = ArgumentHelp(
            "Записать ещё и условия, заложенные генератором (CSV), в этот файл.", valueName: "файл")
        static let out = ArgumentHelp("Папка для записи.", valueName: "папка")
        static let force = ArgumentHelp("Заменить папку, если в ней снимок, который Маяк сгенерировал раньше.")
        static let edgeCases = ArgumentHelp(
            "Создать ещё и редкие случаи (отметки за период «1», неравные веса, падение ВПР несколько вёсен подряд) — для тестов."
        )
    }

    enum Validate {
        static let abstract =
            "Сверить правила с тем, что заложил генератор: полнота и ложные срабатывания по каждому условию."
        static let truth = ArgumentHelp(
            "Файл условий, который записала команда mayak generate --truth.", valueName: "файл")
    }

    enum Users {
        static let abstract =
            "Учётные записи веб-приложения: добавить, перечислить, отключить, включить, сменить пароль."
        static let login = ArgumentHelp("Логин.", valueName: "логин")
        enum Add {
            static let abstract = "Добавить учётную запись."
            static let login = ArgumentHelp("Логин (a–z, 0–9, «.», «_», «-»).", valueName: "логин")
            static let name = ArgumentHelp(
                "Имя человека, как его покажут действия и планы (по умолчанию логин).", valueName: "имя")
            static let role = ArgumentHelp(
                "Роль: классный руководитель, заместитель директора, отдел образования или администратор.",
                valueName: "роль")
            static let school = ArgumentHelp(
                "Школа (school_id): заместителя директора или классного руководителя.", valueName: "школа")
            static let classes = ArgumentHelp(
                "Класс классного руководителя (class_id; можно несколько раз).", valueName: "класс")
            static let passwordStdin = ArgumentHelp(
                "Прочитать пароль со стандартного ввода (обязательно: пароль никогда не передаётся ключом).")
        }
        enum List { static let abstract = "Учётные записи с их ролями и областями доступа." }
        enum Disable { static let abstract = "Отключить учётную запись: с ней больше нельзя войти." }
        enum Enable { static let abstract = "Снова включить отключённую учётную запись." }
        enum Passwd {
            static let abstract = "Задать пароль учётной записи (со стандартного ввода)."
            static let passwordStdin = ArgumentHelp("Прочитать пароль со стандартного ввода (обязательно).")
        }
    }

    enum Serve {
        static let abstract =
            "Запустить веб-приложение: списки недели, ученики, работа с предупреждениями (вход по учётным записям mayak users)."
        static let snapshot = ArgumentHelp("Папка снимка, который проверяли прогоны истории.", valueName: "снимок")
        static let host = ArgumentHelp(
            "Адрес, на котором принимать запросы (127.0.0.1 — только с этого компьютера).", valueName: "адрес")
        static let port = ArgumentHelp("Порт, на котором принимать запросы.", valueName: "порт")
        static let secureCookies = ArgumentHelp(
            "Помечать cookie как Secure: к серверу обращаются по HTTPS (TLS завершает прокси).")
        static let pageCache = ArgumentHelp(
            "Сколько мегабайт готовых страниц хранить для читателей, пока ничего из показанного не меняется (0 — не хранить).",
            valueName: "МБ")
    }

    enum ReadXLS {
        static let abstract = "Прочитать книгу Excel 97–2003 для mayak import (служебная команда)."
        static let path = ArgumentHelp("Книга Excel.", valueName: "файл")
    }
}

// MARK: - ArgumentParser's own words

extension Help {
    /// What ArgumentParser itself writes (it has no way to be told another language), and its
    /// Russian: the headings and fixed lines of its help screens, and its usage errors.
    /// `ParserOutput` applies the table to what ArgumentParser renders. The regular expressions
    /// match one line each; `$1`, `$2` are what their groups matched. Before the errors are
    /// matched, a list of quoted names (`'a', 'b' or 'c'`) is joined as Russian quotes it
    /// («a», «b» или «c»), so that `'(.*)'` takes the whole list.
    enum Parser {
        /// The prefix of an error line.
        static let error = "ошибка: "

        /// Lines of a help screen, and phrases in them.
        static let screen: [(english: String, russian: String)] =
            [
                (#"^OVERVIEW: "#, "ОПИСАНИЕ: "),
                (#"^USAGE: "#, "ИСПОЛЬЗОВАНИЕ: "),
                (#"^ARGUMENTS:$"#, "АРГУМЕНТЫ:"),
                (#"^OPTIONS:$"#, "КЛЮЧИ:"),
                (#"^SUBCOMMANDS:$"#, "КОМАНДЫ:"),
                (#"^(.*) SUBCOMMANDS:$"#, "$1 — КОМАНДЫ:"),
                (#"^  See '(.+) <subcommand>' for detailed help\.$"#, "  Подробно о команде: $1 <команда>"),
                (#"Show help information\.$"#, "Показать справку."),
                (#"Show the version\.$"#, "Показать версию."),
                (#"Show subcommand help information\.$"#, "Показать справку по команде."),
                (#"\(values: (.*?); default as flag: (.*?)\)"#, "(значения: $1; без значения: $2)"),
                (#"\(values: (.*?); default: (.*?)\)"#, "(значения: $1; по умолчанию: $2)"),
                (#"\(values: (.*?)\)"#, "(значения: $1)"),
                (#"\(default as flag: (.*?)\)"#, "(без значения: $1)"),
                (#"\(default: (.*?)\)"#, "(по умолчанию: $1)"),
                (#"^(  \S+) \(default\)"#, "$1 (по умолчанию)"),
            ] + usage

        /// Placeholders of the usage lines.
        static let usage: [(english: String, russian: String)] = [
            (#"<subcommands>"#, "<команды>"),
            (#"<subcommand>"#, "<команда>"),
            (#"<options>"#, "<ключи>"),
        ]

        /// The lines of a usage error after its message.
        static let errorLines: [(english: String, russian: String)] =
            [
                (#"^Help:  "#, "Справка: "),
                (#"^Usage: "#, "Использование: "),
                (#"^  See '(.+)' for more information\.$"#, "  Подробнее: $1"),
            ] + usage

        /// Usage errors.
        static let errors: [(english: String, russian: String)] = [
            (#"^Missing expected argument '(.*)'$"#, "не хватает аргумента «$1»"),
            (#"^Missing one of: '(.*)'$"#, "нужен один из: «$1»"),
            (
                #"^Unknown option '(.*)'\. Did you mean '(.*)'\?$"#,
                "неизвестный ключ «$1»; может быть, имелось в виду «$2»?"
            ),
            (#"^Unknown option '(.*)'$"#, "неизвестный ключ «$1»"),
            (#"^   or: Missing value for '(.*)' in '(.*)'$"#, "   или: нет значения ключа «$1» в «$2»"),
            (#"^Missing value for '(.*)'$"#, "нет значения ключа «$1»"),
            (
                #"^The value '(.*)' is invalid for '(.*)'\. Please provide one of the following:$"#,
                "значение «$1» не подходит для «$2»; допустимы:"
            ),
            (
                #"^The value '(.*)' is invalid for '(.*)'\. Please provide one of '(.*)'\.$"#,
                "значение «$1» не подходит для «$2»; допустимы: «$3»"
            ),
            (#"^The value '(.*)' is invalid for '(.*)': (.*)$"#, "значение «$1» не подходит для «$2»: $3"),
            (#"^The value '(.*)' is invalid for '(.*)'$"#, "значение «$1» не подходит для «$2»"),
            (#"^The value '(.*)' is invalid\.(.*)$"#, "значение «$1» не подходит.$2"),
            (#"^Unexpected argument '(.*)'$"#, "лишний аргумент «$1»"),
            (#"^(\d+) unexpected arguments: '(.*)'$"#, "лишние аргументы ($1): «$2»"),
            (
                #"^The option '(.*)' does not take any value, but '(.*)' was specified\.$"#,
                "ключ «$1» не принимает значения, а указано «$2»"
            ),
            (#"^Invalid option: (.*)$"#, "недопустимый ключ: $1"),
            (#"^Missing required subcommand\.$"#, "не указана команда"),
            (
                #"^Value to be set with flag '(.*)' had already been set with flag '(.*)'$"#,
                "значение ключа «$1» уже задано ключом «$2»"
            ),
            (#"^Can't autodetect a supported shell\.$"#, "не удалось определить оболочку."),
            (#"^Can't generate completion scripts for '(.*)'\.$"#, "нельзя создать сценарий автодополнения для «$1»."),
            (
                #"^Please use --generate-completion-script=<shell> with one of:$"#,
                "укажите --generate-completion-script=<оболочка> и одну из:"
            ),
            (#"^Internal error\. .*$"#, "внутренняя ошибка разбора командной строки"),
            (#"^Command '(.*)' is not a parent of the current command\.$"#, "команда «$1» не родительская для текущей"),
        ]

        /// How a list of quoted names is joined (`'a', 'b' or 'c'`), and in Russian.
        static let lists: [(english: String, russian: String)] = [
            ("', '", "», «"), ("' or '", "» или «"), ("' and '", "» или «"),
        ]
    }
}
