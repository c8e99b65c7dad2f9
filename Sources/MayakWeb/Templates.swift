import MayakReports
import Mustache

/// The pages' templates (swift-mustache: `{{x}}` is escaped, `{{{x}}}` is HTML the server
/// built with escaping already). Built into the program, so `mayak serve` needs no files.
/// Every text a user reads is here or in `WebText`, in Russian.
enum Templates {
    static let layout = """
        <!DOCTYPE html>
        <html lang="ru">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}} — Маяк</title>
        {{#refresh}}<meta http-equiv="refresh" content="{{refresh}}">{{/refresh}}
        <link rel="stylesheet" href="/static/mayak.css">
        <link rel="icon" href="/static/icon.svg" type="image/svg+xml">
        <script src="/static/mayak.js" defer></script>
        </head>
        <body>
        <header class="top">
        <a class="brand" href="/">Маяк</a>
        {{#user}}
        <nav>{{#nav}}<a href="{{href}}"{{#current}} aria-current="page"{{/current}}>{{label}}</a>{{/nav}}</nav>
        <span class="who">{{name}} · {{role}}</span>
        <form method="post" action="/logout" class="inline"><input type="hidden" name="csrf" value="{{csrf}}"><button class="link">Выйти</button></form>
        {{/user}}
        </header>
        {{#notice}}<p class="notice" role="status">{{notice}}</p>{{/notice}}
        <main>
        {{{content}}}
        </main>
        <footer>Маяк: данные на {{asOf}}{{#lastRun}}; последний прогон {{lastRun}}{{/lastRun}}</footer>
        </body>
        </html>
        """

    static let login = """
        <section class="login">
        <h1>Вход в Маяк</h1>
        <p>Для классных руководителей, заместителей директоров и отдела образования.</p>
        {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
        <form method="post" action="/login">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label>Логин <input name="login" autocomplete="username" required maxlength="64" value="{{login}}" autofocus></label>
        <label>Пароль <input type="password" name="password" autocomplete="current-password" required maxlength="200"></label>
        <button>Войти</button>
        </form>
        </section>
        """

    static let list = """
        <h1>{{heading}}</h1>
        <p class="counts">
        <a href="{{newLink}}">Новых на этой неделе: <strong>{{newCount}}</strong></a> ·
        Сохраняются: <strong>{{persistingCount}}</strong> ·
        Сняты с прошлого прогона: <strong>{{resolvedCount}}</strong> ·
        В списке: <strong>{{pupilCount}}</strong> {{pupilWord}}
        </p>
        <div class="columns">
        {{#hasRules}}
        <table class="small"><caption>По правилам</caption><tbody>
        {{#byRule}}<tr><td><a href="{{href}}">{{title}}</a></td><td class="num">{{count}}</td></tr>{{/byRule}}
        </tbody></table>
        {{/hasRules}}
        {{#hasClasses}}
        <table class="small"><caption>По классам</caption><tbody>
        {{#byClass}}<tr><td><a href="{{href}}">{{name}}</a></td><td class="num">{{count}}</td></tr>{{/byClass}}
        </tbody></table>
        {{/hasClasses}}
        </div>
        <form method="get" action="{{path}}" class="filters">
        {{#hasClassOptions}}<label>Класс <select name="class"><option value="">все</option>{{#classOptions}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/classOptions}}</select></label>{{/hasClassOptions}}
        <label>Правило <select name="rule"><option value="">все</option>{{#ruleOptions}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/ruleOptions}}</select></label>
        <label>Важность не ниже <select name="severity"><option value="">любая</option>{{#severityOptions}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/severityOptions}}</select></label>
        <label>Статус <select name="status"><option value="">все</option>{{#statusOptions}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/statusOptions}}</select></label>
        <label>Работа <select name="triage"><option value="">в работе и открытые</option>{{#triageOptions}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/triageOptions}}</select></label>
        <label><input type="checkbox" name="mine" value="1"{{#mine}} checked{{/mine}}> назначено мне</label>
        <label><input type="checkbox" name="new" value="1"{{#newOnly}} checked{{/newOnly}}> только новые</label>
        <label>Порядок <select name="sort">{{#sortOptions}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/sortOptions}}</select></label>
        <button>Показать</button> <a href="{{path}}">сбросить</a>
        </form>
        <form method="post" action="{{selfLink}}" class="search">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label>Поиск по фамилии <input name="q" value="{{query}}" maxlength="100"></label> <button>Найти</button>
        </form>
        {{#hasRows}}
        {{#paged}}{{> pager}}{{/paged}}
        <form method="post" action="/triage" id="bulk">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <input type="hidden" name="back" value="{{selfLink}}">
        <table class="list">
        <thead><tr><th>Ученик</th>{{#showClass}}<th>Класс</th>{{/showClass}}<th>Важность</th><th>Показатели</th><th>Сколько</th></tr></thead>
        <tbody>
        {{#rows}}
        <tr class="{{severity}}">
        <td><a href="/pupils/{{pupilID}}">{{name}}</a>{{#isNew}} <span class="tag new">новое</span>{{/isNew}}</td>
        {{#showClass}}<td><a href="/classes/{{classID}}">{{className}}</a></td>{{/showClass}}
        <td><span class="badge {{severity}}">{{severityText}}</span></td>
        <td><ul class="indicators">{{#alerts}}<li><label><input type="checkbox" name="id" value="{{id}}"> <a href="/alerts/{{id}}">{{title}}</a></label>: {{message}} <span class="status">{{status}}</span></li>{{/alerts}}</ul></td>
        <td class="num">{{weeksText}}</td>
        </tr>
        {{/rows}}
        </tbody>
        </table>
        {{> triage}}
        </form>
        {{#paged}}{{> pager}}{{/paged}}
        {{/hasRows}}
        {{^hasRows}}<p class="empty">{{emptyText}}</p>{{/hasRows}}
        {{#hasGroups}}
        <h2>Предупреждения о классах и школе</h2>
        <ul class="groups">{{#groups}}<li><span class="badge {{severity}}">{{severityText}}</span> <a href="/alerts/{{id}}">{{title}}</a>{{#className}}, {{className}}{{/className}}: {{message}} <span class="status">{{status}}</span></li>{{/groups}}</ul>
        {{/hasGroups}}
        {{{staffList}}}
        """

    /// The school's staff, offered where a person is named (one list per page, made once).
    static let staffList = """
        <datalist id="staff">{{#staff}}<option value="{{.}}"></option>{{/staff}}</datalist>
        """

    /// Links to the pages of a long list.
    static let pager = """
        <nav class="pager" aria-label="Страницы списка"><span>{{pageText}}</span>
        {{#previous}}<a href="{{previous}}" rel="prev">← предыдущая</a>{{/previous}}
        {{#pageLinks}}{{#current}}<strong aria-current="page">{{number}}</strong>{{/current}}{{^current}}<a href="{{href}}">{{number}}</a>{{/current}}{{/pageLinks}}
        {{#next}}<a href="{{next}}" rel="next">следующая →</a>{{/next}}
        </nav>
        """

    /// The triage controls, inside a form that holds the chosen `id`s.
    static let triage = """
        <fieldset class="triage">
        <legend>Что сделать с отмеченными</legend>
        <label class="js-only"><input type="checkbox" data-select-all="id"> отметить все{{#paged}} на этой странице{{/paged}}</label>
        <label>Действие <select name="action">
        <option value="acknowledge">принять в работу</option>
        <option value="assign">назначить</option>
        <option value="comment">комментировать</option>
        <option value="dismiss">отклонить</option>
        <option value="resolve">решено</option>
        <option value="reopen">открыть снова</option>
        </select></label>
        <label>Кому, комментарий или причина <input name="detail" maxlength="500" list="staff"></label>
        <button>Применить</button>
        <p class="hint">Для «назначить» укажите сотрудника, для «отклонить» — причину.</p>
        </fieldset>
        """

    static let pupil = """
        <p class="crumbs">{{#schoolLink}}<a href="{{schoolLink}}">{{schoolName}}</a> › {{/schoolLink}}<a href="/classes/{{classID}}">{{className}} класс</a></p>
        <h1>{{name}}</h1>
        <section>
        <h2>Предупреждения</h2>
        {{#hasAlerts}}
        <form method="post" action="/triage">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <input type="hidden" name="back" value="/pupils/{{pupilID}}">
        {{#alerts}}{{> alert}}{{/alerts}}
        {{> triage}}
        </form>
        {{/hasAlerts}}
        {{^hasAlerts}}<p class="empty">Предупреждений нет.</p>{{/hasAlerts}}
        </section>
        <section id="plan">
        <h2>Индивидуальный план</h2>
        {{#plan}}
        <p>План №{{id}} принят {{adoptedAt}}, {{adoptedBy}}; {{progress}}. <a href="/plans/{{id}}">Печатная форма</a></p>
        {{#hasDropped}}<p class="hint">Исключено из предложенного: {{#dropped}}«{{.}}» {{/dropped}}</p>{{/hasDropped}}
        <table class="list"><thead><tr><th>№</th><th>Мероприятие</th><th>Ответственный</th><th>Срок</th><th>Как проверить</th><th>Выполнение</th></tr></thead><tbody>
        {{#items}}<tr{{#overdue}} class="overdue"{{/overdue}}><td>{{position}}</td><td>{{action}}{{#origin}} <span class="tag">{{origin}}</span>{{/origin}}</td><td>{{responsible}}</td><td>{{due}}{{#overdue}} <strong>просрочено</strong>{{/overdue}}</td><td>{{check}}</td>
        <td>{{#done}}{{done}}{{/done}}{{#open}}<form method="post" action="/plans/{{id}}/steps/{{position}}/done" class="step">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label>дата <input type="date" name="on" value="{{today}}" max="{{today}}"></label> <button>Выполнено</button>
        </form>{{/open}}</td></tr>{{/items}}
        </tbody></table>
        <form method="post" action="/plans/{{id}}/close" class="close-plan">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <button class="secondary">Закрыть план</button> <span class="hint">Закрывают, когда маршрут пройден или пересмотрен; предупреждения снова ждут решения.</span>
        </form>
        {{/plan}}
        {{#adopt}}
        {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
        <p class="hint">{{#hasSuggestion}}Маяк предлагает мероприятия по предупреждениям ученика. Снимите отметку, чтобы исключить пункт; исправьте текст, ответственного и срок; свои пункты впишите в пустые строки.{{/hasSuggestion}}{{^hasSuggestion}}Правила не предлагают мероприятий: впишите свои.{{/hasSuggestion}} Сроки отсчитаны от сегодняшнего дня.</p>
        <form method="post" action="/plans" class="adopt">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <input type="hidden" name="pupil" value="{{pupilID}}">
        <input type="hidden" name="rows" value="{{rowCount}}">
        <table class="list plan-edit"><thead><tr><th>В плане</th><th>Мероприятие</th><th>Роль</th><th>Ответственный</th><th>Срок</th><th>Как проверить</th></tr></thead><tbody>
        {{#rows}}<tr{{#added}} class="added"{{/added}}>
        <td>{{#added}}<span class="hint">свой пункт</span>{{/added}}{{^added}}<input type="checkbox" name="keep_{{k}}" value="1"{{#keep}} checked{{/keep}} aria-label="Пункт {{n}} в плане">{{/added}}</td>
        <td><textarea name="action_{{k}}" rows="2" maxlength="300" aria-label="Пункт {{n}}: мероприятие">{{action}}</textarea></td>
        <td><textarea name="role_{{k}}" rows="2" maxlength="200" aria-label="Пункт {{n}}: роль">{{role}}</textarea></td>
        <td><input name="who_{{k}}" value="{{who}}" maxlength="200" list="staff" aria-label="Пункт {{n}}: ответственный"></td>
        <td><input type="date" name="due_{{k}}" value="{{due}}" aria-label="Пункт {{n}}: срок"></td>
        <td><textarea name="check_{{k}}" rows="2" maxlength="300" aria-label="Пункт {{n}}: как проверить">{{check}}</textarea></td>
        </tr>{{/rows}}
        </tbody></table>
        <button>Принять план</button>
        </form>
        {{/adopt}}
        {{^plan}}{{^adopt}}<p class="empty">Плана нет: у ученика нет действующих предупреждений.</p>{{/adopt}}{{/plan}}
        {{#hasEarlier}}<p class="hint">Прежние планы: {{#earlier}}<a href="/plans/{{id}}">№{{id}}</a> (закрыт {{closedAt}}) {{/earlier}}</p>{{/hasEarlier}}
        </section>
        <section>
        <h2>Пропуски</h2>
        <p>{{attendance}}</p>
        </section>
        <section>
        <h2>ВПР</h2>
        {{#hasVPR}}
        <table class="list"><thead><tr><th>Год</th><th>Класс</th><th>Предмет</th><th>Балл</th><th>Отметка</th><th>В журнале</th></tr></thead><tbody>
        {{#vpr}}<tr><td>{{year}}</td><td>{{grade}}</td><td>{{subject}}</td><td class="num">{{score}}</td><td class="num">{{mark}}</td><td class="num">{{journal}}</td></tr>{{/vpr}}
        </tbody></table>
        {{/hasVPR}}
        {{^hasVPR}}<p class="empty">Результатов ВПР нет.</p>{{/hasVPR}}
        </section>
        <section>
        <h2>Отметки</h2>
        {{{timelines}}}
        </section>
        {{{staffList}}}
        """

    /// One alert with its evidence, standing and history; a checkbox when inside a triage form.
    static let alert = """
        <article class="alert {{severity}}" id="a-{{id}}">
        <h3>{{#selectable}}<input type="checkbox" name="id" value="{{id}}" aria-label="Отметить"> {{/selectable}}<span class="badge {{severity}}">{{severityText}}</span> {{title}}</h3>
        <p>{{message}}</p>
        {{#evidence}}<p class="evidence">Основания: {{evidence}}</p>{{/evidence}}
        <p class="status">{{status}}</p>
        {{#hasEvents}}<ol class="events">{{#events}}<li>{{at}} — {{actor}}: {{kind}}{{#detail}} — {{detail}}{{/detail}}</li>{{/events}}</ol>{{/hasEvents}}
        <p class="links"><a href="/alerts/{{id}}">адрес предупреждения</a></p>
        </article>
        """

    static let alertPage = """
        <p class="crumbs">{{#subjectLink}}<a href="{{subjectLink}}">{{subjectName}}</a>{{/subjectLink}}{{^subjectLink}}{{subjectName}}{{/subjectLink}}</p>
        <form method="post" action="/triage">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <input type="hidden" name="back" value="/alerts/{{alert.id}}">
        <input type="hidden" name="id" value="{{alert.id}}">
        {{#alert}}{{> alert}}{{/alert}}
        {{> triage}}
        </form>
        {{{staffList}}}
        """

    static let planPage = """
        <p class="crumbs screen-only"><a href="/pupils/{{pupilID}}">{{pupilName}}</a> › план: {{status}}, {{adopted}}</p>
        <p class="screen-only"><button type="button" class="js-only" data-print>Печать</button> <span class="hint">Форма на лист A4: напечатайте её (Ctrl+P) для подписей.</span></p>
        {{{form}}}
        """

    static let plans = """
        <h1>Индивидуальные планы</h1>
        {{#district}}
        <table class="list"><thead><tr><th>Школа</th><th>Действующих планов</th><th>Просроченных мероприятий</th></tr></thead><tbody>
        {{#schools}}<tr{{#selected}} class="selected"{{/selected}}><td><a href="/plans?school={{id}}">{{name}}</a></td><td class="num">{{plans}}</td><td class="num">{{overdue}}</td></tr>{{/schools}}
        </tbody></table>
        {{/district}}
        {{#showDetail}}
        <p class="counts">Действующих планов: <strong>{{planCount}}</strong> · Просрочено мероприятий на {{today}}: <strong>{{overdueCount}}</strong></p>
        <form method="get" action="/plans" class="filters">
        {{#district}}<input type="hidden" name="school" value="{{schoolID}}">{{/district}}
        <label>Ответственный <select name="person"><option value="">все</option>{{#people}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/people}}</select></label>
        <button>Показать</button>
        </form>
        <h2>Просроченные мероприятия</h2>
        {{#hasOverdue}}
        {{#groups}}
        <h3>{{who}}: {{count}}</h3>
        <table class="list"><thead><tr><th>Ученик</th><th>Класс</th><th>План, пункт</th><th>Мероприятие</th><th>Срок</th><th>Просрочено</th></tr></thead><tbody>
        {{#steps}}<tr class="overdue"><td><a href="/pupils/{{pupilID}}#plan">{{pupil}}</a></td><td>{{className}}</td><td><a href="/plans/{{planID}}">№{{planID}}</a>, {{position}}</td><td>{{action}}</td><td>{{due}}</td><td class="num">{{late}}</td></tr>{{/steps}}
        </tbody></table>
        {{/groups}}
        {{/hasOverdue}}
        {{^hasOverdue}}<p class="empty">Просроченных мероприятий нет.</p>{{/hasOverdue}}
        <h2>Действующие планы</h2>
        {{#hasPlans}}
        <table class="list"><thead><tr><th>Ученик</th><th>Класс</th><th>План</th><th>Принят</th><th>Выполнено</th><th>Просрочено</th></tr></thead><tbody>
        {{#plans}}<tr><td><a href="/pupils/{{pupilID}}#plan">{{pupil}}</a></td><td>{{className}}</td><td><a href="/plans/{{id}}">№{{id}}</a></td><td>{{adoptedAt}}</td><td class="num">{{progress}}</td><td class="num">{{overdue}}</td></tr>{{/plans}}
        </tbody></table>
        {{/hasPlans}}
        {{^hasPlans}}<p class="empty">Действующих планов нет.</p>{{/hasPlans}}
        {{/showDetail}}
        {{^showDetail}}<p class="hint">Выберите школу, чтобы увидеть её планы и просроченные мероприятия.</p>{{/showDetail}}
        """

    static let admin = """
        <h1>Учётные записи</h1>
        {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
        <table class="list accounts"><thead><tr><th>Логин</th><th>Имя</th><th>Роль</th><th>Что видит</th><th>Создана</th><th>Состояние</th><th>Пароль</th></tr></thead><tbody>
        {{#accounts}}<tr{{#disabled}} class="disabled"{{/disabled}}><td>{{login}}</td><td>{{name}}</td><td>{{role}}</td><td>{{scope}}</td><td>{{created}}</td>
        <td>{{#disabled}}отключена <form method="post" action="/admin/users/{{login}}/enable" class="inline"><input type="hidden" name="csrf" value="{{csrf}}"><button class="secondary">Включить</button></form>{{/disabled}}{{^disabled}}действует{{^self}} <form method="post" action="/admin/users/{{login}}/disable" class="inline"><input type="hidden" name="csrf" value="{{csrf}}"><button class="secondary">Отключить</button></form>{{/self}}{{/disabled}}</td>
        <td><form method="post" action="/admin/users/{{login}}/password" class="password">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <input type="password" name="password" autocomplete="new-password" maxlength="200" aria-label="Новый пароль для {{login}}" placeholder="новый пароль">
        <input type="password" name="password2" autocomplete="new-password" maxlength="200" aria-label="Новый пароль ещё раз" placeholder="ещё раз">
        <button class="secondary">Сменить</button></form></td></tr>{{/accounts}}
        </tbody></table>
        <h2>Новая учётная запись</h2>
        <form method="post" action="/admin/users" class="filters new-account">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label>Логин <input name="login" value="{{typedLogin}}" required maxlength="64" autocomplete="off"></label>
        <label>Имя <input name="name" value="{{typedName}}" maxlength="200" placeholder="Иванова Анна Петровна"></label>
        <label>Роль <select name="role">{{#roles}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/roles}}</select></label>
        <label>Школа <select name="school"><option value="">—</option>{{#schools}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/schools}}</select></label>
        <label>Классы <input name="classes" value="{{typedClasses}}" maxlength="500" placeholder="SH01-5А SH01-6Б"></label>
        <label>Пароль <input type="password" name="password" autocomplete="new-password" required maxlength="200"></label>
        <label>Ещё раз <input type="password" name="password2" autocomplete="new-password" required maxlength="200"></label>
        <button>Создать</button>
        <p class="hint">Классному руководителю — школа и классы (коды через пробел), заместителю директора — школа, отделу образования и администратору — ничего: они охватывают все школы. Пароль — не короче 8 знаков.</p>
        </form>
        <h2>Изменения учётных записей</h2>
        {{#hasEvents}}<table class="list"><thead><tr><th>Когда</th><th>Кто</th><th>Учётная запись</th><th>Что</th><th>Подробности</th></tr></thead><tbody>
        {{#events}}<tr><td>{{at}}</td><td>{{actor}}</td><td>{{login}}</td><td>{{kind}}</td><td>{{detail}}</td></tr>{{/events}}
        </tbody></table>{{/hasEvents}}
        {{^hasEvents}}<p class="empty">Изменений ещё не было.</p>{{/hasEvents}}
        """

    static let rules = """
        <h1>Правила и их параметры</h1>
        <p class="hint">Измените параметры и посмотрите, что изменится на данных на {{asOf}}: сколько предупреждений добавится и снимется, по правилам, школам и классам, с примерами. Применить изменения можно только после такого предпросмотра — как новую версию параметров, с комментарием.</p>
        {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
        {{#preview}}
        <section class="preview" id="preview">
        <h2>Что изменится</h2>
        <p>Изменено: {{#changes}}<code>{{.}}</code> {{/changes}}</p>
        <p class="counts">Добавится: <strong>{{gained}}</strong> · Снимется: <strong>{{lost}}</strong> · Изменится важность: <strong>{{changed}}</strong> · Останутся: <strong>{{kept}}</strong> <span class="hint">(пересчёт за {{seconds}} с)</span></p>
        <div class="columns">
        <table class="small"><caption>По правилам</caption><thead><tr><th></th><th>+</th><th>−</th><th>~</th></tr></thead><tbody>{{#byRule}}<tr><td>{{name}}</td><td class="num">{{gained}}</td><td class="num">{{lost}}</td><td class="num">{{changed}}</td></tr>{{/byRule}}</tbody></table>
        <table class="small"><caption>По школам</caption><thead><tr><th></th><th>+</th><th>−</th><th>~</th></tr></thead><tbody>{{#bySchool}}<tr><td>{{name}}</td><td class="num">{{gained}}</td><td class="num">{{lost}}</td><td class="num">{{changed}}</td></tr>{{/bySchool}}</tbody></table>
        <table class="small"><caption>По классам</caption><thead><tr><th></th><th>+</th><th>−</th><th>~</th></tr></thead><tbody>{{#byClass}}<tr><td>{{name}}</td><td class="num">{{gained}}</td><td class="num">{{lost}}</td><td class="num">{{changed}}</td></tr>{{/byClass}}</tbody></table>
        </div>
        {{#hasExamples}}<h3>Примеры</h3><ul class="groups">{{#examples}}<li><strong>{{sign}}</strong> {{rule}} — {{who}}: {{message}}</li>{{/examples}}</ul>{{/hasExamples}}
        <form method="post" action="/district/rules/apply" class="apply">
        <input type="hidden" name="csrf" value="{{csrf}}">
        {{#apply}}<input type="hidden" name="{{field}}" value="{{value}}">{{/apply}}
        <label>Почему меняются параметры <input name="comment" maxlength="500" size="60" required></label>
        <button>Применить как новую версию</button>
        <p class="hint">Новая версия параметров сохранится в истории с комментарием и начнёт действовать для сервера и для каждой следующей проверки; предупреждения пересчитаются при проверке округа.</p>
        </form>
        </section>
        {{/preview}}
        {{#canPreview}}
        <form method="post" action="/district/rules#preview">
        <input type="hidden" name="csrf" value="{{csrf}}">
        {{#rules}}
        <fieldset class="rule"><legend>{{title}} <span class="hint">{{id}}, важность «{{severity}}»</span></legend>
        {{#hasParams}}{{#params}}<label class="param"><code>{{name}}</code> <input name="{{field}}" value="{{value}}" maxlength="40" size="8"> <span class="hint">{{description}}{{#range}} ({{range}}){{/range}}; сейчас {{current}}</span></label>{{/params}}{{/hasParams}}
        {{^hasParams}}<p class="hint">Параметров нет.</p>{{/hasParams}}
        </fieldset>
        {{/rules}}
        <button>Показать, что изменится</button>
        </form>
        {{/canPreview}}
        {{^canPreview}}<p class="empty">Сервер запущен без папки правил: предпросмотр недоступен.</p>{{/canPreview}}
        <h2>Версии параметров</h2>
        <p><a href="/district/scan">Проверка округа с параметрами в силе</a></p>
        {{#hasVersions}}
        <table class="list"><thead><tr><th>№</th><th>Когда</th><th>Кто</th><th>Параметры</th><th>Комментарий</th></tr></thead><tbody>
        {{#versions}}<tr><td>{{id}}{{#inForce}} <span class="tag new">действует</span>{{/inForce}}</td><td>{{at}}</td><td>{{actor}}</td><td><code>{{assignments}}</code></td><td>{{comment}}</td></tr>{{/versions}}
        </tbody></table>
        {{/hasVersions}}
        {{^hasVersions}}<p class="empty">Параметры — как в файлах правил: отдел ещё не применял своих.</p>{{/hasVersions}}
        """

    static let rerun = """
        <h1>Проверка округа</h1>
        <p>Данные на {{asOf}}; параметры правил: {{settings}}. Проверка пересчитывает предупреждения всех школ и записывает прогон в историю — как еженедельная проверка.</p>
        {{#running}}
        <section class="progress" aria-live="polite">
        <p><progress value="{{value}}" max="{{max}}"></progress> Проверено школ: <strong>{{done}}</strong> из {{total}} ({{percent}} %), идёт {{seconds}} с. Запустил(а): {{by}}.</p>
        <p class="hint">Страница обновляется сама каждые две секунды.</p>
        </section>
        {{/running}}
        {{#finished}}
        <p class="notice-inline">Прогон №{{run}} записан: предупреждений {{alerts}}, новых {{new}}, снято {{resolved}} (за {{seconds}} с). Запустил(а): {{by}}.</p>
        <p><a href="/district">К округу</a></p>
        {{/finished}}
        {{#failed}}<p class="error" role="alert">{{why}} Запустил(а): {{by}}.</p>{{/failed}}
        {{^running}}
        <form method="post" action="/district/scan">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <button>Запустить проверку</button>
        </form>
        {{/running}}
        """

    static let message = """
        <h1>{{heading}}</h1>
        <p>{{text}}</p>
        <p><a href="/">На главную</a></p>
        """

    static let district = """
        <h1>Округ: {{district}}</h1>
        <p><a href="/district/rules">Правила и параметры</a> · <a href="/district/scan">Проверка округа</a></p>
        <p class="counts">{{figures}}</p>
        <h2>Школы</h2>
        <table class="list"><thead><tr><th>Школа</th><th>Учеников в списке</th><th>Новых</th><th>Высокой и критической важности</th><th>Успеваемость, %</th><th>Качество знаний, %</th><th>Неуспевающих</th></tr></thead><tbody>
        {{#schools}}<tr><td><a href="/schools/{{id}}">{{name}}</a></td><td class="num">{{pupils}}</td><td class="num">{{newCount}}</td><td class="num">{{high}}</td><td class="num">{{success}}</td><td class="num">{{quality}}</td><td class="num">{{failing}}</td></tr>{{/schools}}
        </tbody></table>
        {{#hasRuns}}
        <h2>Предупреждения по прогонам</h2>
        <table class="list"><thead><tr><th>Прогон</th><th>Данные на</th><th>Записан</th><th>Критической</th><th>Высокой</th><th>Средней</th><th>Всего</th></tr></thead><tbody>
        {{#runs}}<tr><td>№{{id}}</td><td>{{asOf}}</td><td>{{at}}</td><td class="num">{{critical}}</td><td class="num">{{high}}</td><td class="num">{{medium}}</td><td class="num">{{all}}</td></tr>{{/runs}}
        </tbody></table>
        {{/hasRuns}}
        """

    /// `{{x}}` escaped by the report's own escaping (`HTML.escape`): one way to escape for
    /// every page Mayak writes.
    struct MayakHTML: MustacheContentType {
        func escapeText(_ text: String) -> String { HTML.escape(text) }
    }

    static let library: MustacheLibrary = {
        MustacheContentTypes.register(MayakHTML(), named: "MAYAK_HTML")
        var l = MustacheLibrary()
        for (name, text) in [
            ("layout", layout), ("login", login), ("list", list), ("triage", triage), ("pupil", pupil),
            ("alert", alert), ("pager", pager), ("staffList", staffList), ("alertPage", alertPage),
            ("message", message), ("district", district),
            ("planPage", planPage), ("plans", plans), ("admin", admin), ("rules", rules), ("rerun", rerun),
        ] {
            // The templates are part of the program: one that does not parse is a build mistake,
            // caught by every test that renders a page.
            try! l.register("{{% CONTENT_TYPE: MAYAK_HTML}}" + text, named: name)
        }
        return l
    }()
}
