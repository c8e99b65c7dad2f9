/// The stylesheet and the little script of the pages, built into the program. Every action
/// works without the script; it only adds «отметить все» and a print button.
enum Assets {
    static let css = """
        :root { --ink: #1d2430; --muted: #5b6675; --line: #d9dee5; --accent: #1f5fa8; --bg: #f6f7f9; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 15px/1.45 system-ui, "Segoe UI", Roboto, "PT Sans", sans-serif; color: var(--ink); background: var(--bg); }
        header.top { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; padding: .6rem 1.2rem; background: #12335c; color: #fff; }
        header.top a { color: #fff; text-decoration: none; }
        header.top nav a { margin-right: .8rem; opacity: .85; }
        header.top nav a[aria-current] { opacity: 1; border-bottom: 2px solid #fff; }
        .brand { font-weight: 700; font-size: 1.15rem; letter-spacing: .02em; }
        .who { margin-left: auto; opacity: .9; }
        main { max-width: 1200px; margin: 0 auto; padding: 1rem 1.2rem 2rem; }
        footer { max-width: 1200px; margin: 0 auto; padding: 0 1.2rem 2rem; color: var(--muted); font-size: .85rem; }
        h1 { font-size: 1.5rem; margin: .4rem 0 .8rem; }
        h2 { font-size: 1.15rem; margin: 1.4rem 0 .5rem; }
        h3 { font-size: 1rem; margin: 0 0 .3rem; }
        a { color: var(--accent); }
        form.inline { display: inline; }
        button { font: inherit; padding: .35rem .9rem; border: 1px solid var(--accent); background: var(--accent); color: #fff; border-radius: 4px; cursor: pointer; }
        button.link { background: none; border: none; color: #fff; text-decoration: underline; padding: 0; }
        input, select { font: inherit; padding: .25rem .4rem; border: 1px solid var(--line); border-radius: 4px; background: #fff; }
        label { margin-right: .8rem; white-space: nowrap; }
        .counts { font-size: 1.05rem; }
        .columns { display: flex; flex-wrap: wrap; gap: 1.5rem; align-items: flex-start; }
        table { border-collapse: collapse; background: #fff; }
        table.list { width: 100%; margin: .6rem 0; }
        th, td { border-bottom: 1px solid var(--line); padding: .35rem .5rem; text-align: left; vertical-align: top; }
        th { background: #eef1f5; font-weight: 600; }
        caption { text-align: left; font-weight: 600; padding: .3rem 0; }
        table.small td { padding: .2rem .5rem; }
        td.num { text-align: right; white-space: nowrap; }
        .filters, .search { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: .6rem .8rem; margin: .8rem 0; }
        .filters label { display: inline-block; margin: .2rem .8rem .2rem 0; }
        ul.indicators, ul.groups { margin: 0; padding-left: 1.1rem; }
        .status { color: var(--muted); font-size: .88rem; }
        .badge { display: inline-block; padding: 0 .45rem; border-radius: 3px; font-size: .8rem; font-weight: 600; white-space: nowrap; }
        .badge.critical { background: #8e1b1b; color: #fff; }
        .badge.high { background: #d9480f; color: #fff; }
        .badge.medium { background: #f5c542; color: #3a2a00; }
        .badge.low { background: #dbe7f5; color: #173a66; }
        .badge.info { background: #e9ecef; color: #333; }
        .tag.new { background: #2b8a3e; color: #fff; border-radius: 3px; padding: 0 .35rem; font-size: .75rem; }
        fieldset.triage { background: #fff; border: 1px solid var(--line); border-radius: 6px; margin: .8rem 0; }
        .hint { color: var(--muted); font-size: .85rem; margin: .3rem 0 0; }
        article.alert { background: #fff; border: 1px solid var(--line); border-left: 5px solid #adb5bd; border-radius: 4px; padding: .6rem .8rem; margin: .6rem 0; }
        article.alert.critical { border-left-color: #8e1b1b; }
        article.alert.high { border-left-color: #d9480f; }
        article.alert.medium { border-left-color: #f5c542; }
        .evidence { color: var(--muted); }
        ol.events { color: var(--muted); font-size: .9rem; margin: .3rem 0; }
        tr.overdue td { background: #fff4e6; }
        .notice { max-width: 1200px; margin: .8rem auto 0; padding: .5rem 1.2rem; background: #e6f4ea; border: 1px solid #b7dfc2; }
        .error { color: #8e1b1b; font-weight: 600; }
        .empty { color: var(--muted); }
        .crumbs { margin: 0; color: var(--muted); }
        .notice-inline { padding: .5rem .8rem; background: #e6f4ea; border: 1px solid #b7dfc2; }
        section.progress progress { width: 20rem; max-width: 100%; vertical-align: middle; }
        nav.pager { margin: .6rem 0; display: flex; flex-wrap: wrap; gap: .3rem .6rem; align-items: baseline; }
        nav.pager span { color: var(--muted); margin-right: .6rem; }
        nav.pager strong { padding: 0 .3rem; border-bottom: 2px solid var(--accent); }
        section.login { max-width: 360px; margin: 3rem auto; background: #fff; padding: 1.5rem; border: 1px solid var(--line); border-radius: 8px; }
        section.login label { display: block; margin: .8rem 0; white-space: normal; }
        section.login input { width: 100%; }
        .js-only { display: none; }
        .js .js-only { display: inline; }
        svg { max-width: 100%; height: auto; }
        .tag { background: #e9ecef; color: #333; border-radius: 3px; padding: 0 .35rem; font-size: .75rem; }
        button.secondary { background: #fff; color: var(--accent); }
        form.step { display: flex; flex-wrap: wrap; gap: .3rem; align-items: center; }
        form.step label { margin: 0; }
        form.close-plan { margin: .6rem 0; }
        table.plan-edit textarea { width: 100%; min-width: 9rem; font: inherit; border: 1px solid var(--line); border-radius: 4px; }
        table.plan-edit textarea[name^="action_"] { min-width: 16rem; }
        table.plan-edit input:not([type]) { width: 100%; min-width: 8rem; }
        table.plan-edit tr.added td { background: #f8fafc; }
        tr.selected td { background: #eef4fb; }
        tr.disabled td { color: var(--muted); }
        fieldset.rule { background: #fff; border: 1px solid var(--line); border-radius: 6px; margin: .6rem 0; }
        fieldset.rule legend { font-weight: 600; }
        label.param { display: block; white-space: normal; margin: .3rem 0; }
        section.preview { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: .4rem 1rem 1rem; margin: .8rem 0; }
        form.password { display: flex; gap: .3rem; flex-wrap: wrap; }
        form.password input { width: 8.5rem; }
        section.plan { background: #fff; border: 1px solid var(--line); padding: 1rem 1.4rem; }
        section.plan h2 { margin-top: 0; text-align: center; }
        section.plan dl { display: grid; grid-template-columns: 16rem 1fr; gap: .2rem .8rem; }
        section.plan dt { font-weight: 600; }
        section.plan dd { margin: 0; }
        section.plan table { width: 100%; }
        section.plan th, section.plan td { border: 1px solid var(--line); }
        .signatures { display: grid; grid-template-columns: 1fr 1fr; gap: 1.5rem 2.5rem; margin-top: 1.8rem; }
        .signatures div { border-top: 1px solid var(--ink); padding-top: .25rem; font-size: .8rem; color: var(--muted); }
        @media print {
          @page { size: A4; margin: 15mm 15mm 15mm 20mm; }
          header.top, form, footer, .screen-only, .notice { display: none; }
          body { background: #fff; font-size: 11pt; }
          main { max-width: none; padding: 0; }
          section.plan { border: none; padding: 0; }
          tr { page-break-inside: avoid; }
          a { color: var(--ink); text-decoration: none; }
        }
        """

    /// A lighthouse: the tab's icon.
    static let icon = """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#12335c"/><path d="M13 10h6l2 18H11z" fill="#fff"/><path d="M12 10h8l-1-3h-6z" fill="#f5c542"/><path d="M14 16h4v3h-4z" fill="#d9480f"/></svg>
        """

    static let js = """
        "use strict";
        document.documentElement.classList.add("js");
        document.addEventListener("change", function (event) {
          var box = event.target;
          if (!box.matches || !box.matches("input[data-select-all]")) return;
          var form = box.form;
          if (!form) return;
          form.querySelectorAll('input[type="checkbox"][name="' + box.dataset.selectAll + '"]').forEach(function (b) {
            b.checked = box.checked;
          });
        });
        document.addEventListener("click", function (event) {
          if (event.target.matches && event.target.matches("[data-print]")) window.print();
        });
        """
}
