btn-roadmap = 🗺 Дорожная карта
btn-roadmap-district = 🗺 Дорожные карты школ
btn-roadmap-template = 📐 Шаблон дорожной карты округа
btn-roadmap-add = ➕ Добавить мероприятие
btn-roadmap-docx = 📄 Скачать (.docx)
btn-roadmap-xlsx = 📥 Скачать (Excel)
btn-roadmap-publish = 📣 Опубликовать для всех школ округа
btn-roadmap-done = ✅ Отметить выполнение
btn-roadmap-item-open = 📋 Открыть пункт дорожной карты
btn-roadmap-deadline = ⏰ Срок
btn-roadmap-people = 👤 Ответственные
btn-roadmap-people-done = ✔ Готово
btn-roadmap-field = { $field ->
    [activity] ✏ Мероприятие
    [content] ✏ Содержание
    [result] ✏ Результат
    [responsible_role] ✏ Должность ответственного
   *[stage] ✏ Этап
 }
btn-roadmap-up = ⬆ Выше
btn-roadmap-down = ⬇ Ниже
btn-roadmap-reopen = ↩ Вернуть в работу
btn-roadmap-remove = 🗑 Удалить
btn-roadmap-remove-confirm = 🗑 Да, удалить
roadmap-month-name = { $month ->
    [1] январь
    [2] февраль
    [3] март
    [4] апрель
    [5] май
    [6] июнь
    [7] июль
    [8] август
    [9] сентябрь
    [10] октябрь
    [11] ноябрь
   *[12] декабрь
 }
roadmap-deadline = { $kind ->
    [date] до {$date}
    [month] {$month} {$year}
   *[yearly] ежегодно, {$month}
 }
roadmap-deadline-past = Этот срок уже прошёл. Укажите срок в будущем.
roadmap-deadline-format = Не понял срок. Напишите дату («30.09», «до 15.10.2026»), месяц («октябрь», «в мае 2027») или «ежегодно, сентябрь».
roadmap-deadline-ask = Напишите срок: дату («30.09», «до 15.10.2026»), месяц («октябрь») или «ежегодно, сентябрь».
roadmap-deadline-wrong = { $reason ->
    [past] { roadmap-deadline-past }
   *[format] { roadmap-deadline-format }
 }
roadmap-curator-name = Куратор (id {$telegram_id})
roadmap-title = { $kind ->
    [district] <b>Шаблон дорожной карты</b> · {$name} · {$year} учебный год
   *[school] <b>Дорожная карта</b> · {$name} · {$year} учебный год
 }
roadmap-progress = Выполнено: {$done} из {$total}.
roadmap-line = {$number}. {$mark} {$activity} — {$deadline}
roadmap-card-stage = <b>Этап:</b> {$stage}
roadmap-card-activity = <b>Мероприятие:</b> {$activity}
roadmap-card-content = <b>Содержание:</b> {$content}
roadmap-card-deadline = <b>Срок:</b> {$deadline}{ $overdue ->
    [yes] {" "}⚠ просрочено
   *[no] {""}
 }
roadmap-card-responsible = <b>Ответственные:</b> {$who}
roadmap-nobody = не назначены
roadmap-card-result = <b>Ожидаемый результат:</b> {$result}
roadmap-card-status = <b>Статус:</b> { $status ->
    [done] { $by_bot ->
        [yes] выполнено (отмечено ботом)
       *[no] выполнено
    }
   *[planned] в работе
 }
roadmap-card-note = <b>Подтверждение:</b> {$note}
roadmap-status = { $status ->
    [done] выполнено
   *[planned] { $overdue ->
        [yes] просрочено
       *[no] в работе
    }
 }
roadmap-add-stage = К какому этапу добавить мероприятие?
roadmap-add-activity = Напишите название мероприятия.
roadmap-added = Мероприятие добавлено.
roadmap-saved = Сохранено.
roadmap-removed = Пункт удалён из дорожной карты.
roadmap-remove-ask = Удалить из дорожной карты «{$activity}»?
roadmap-field-ask = { $field ->
    [activity] Напишите новое название мероприятия.
    [content] Напишите содержание деятельности.
    [result] Напишите ожидаемый результат или документ.
    [responsible_role] Напишите должность ответственного, например «заместитель директора по УР».
   *[stage] Напишите название этапа.
 }
roadmap-field-empty = Текст не может быть пустым. Напишите его сообщением.
roadmap-people = Кто отвечает за «{$activity}»? Отметьте сотрудников школы; должность можно указать текстом.
roadmap-export-caption = Дорожная карта
roadmap-sheet = Дорожная карта
roadmap-doc-title = Дорожная карта реализации целевой модели наставничества · {$name} · {$year} учебный год
roadmap-column-number = №
roadmap-column-stage = Наименование этапа
roadmap-column-activity = Мероприятие и содержание деятельности
roadmap-column-deadline = Сроки
roadmap-column-responsible = Ответственные
roadmap-column-result = Ожидаемый результат
roadmap-column-status = Отметка о выполнении
roadmap-refusal = { $reason ->
    [not_found] Такого пункта дорожной карты нет.
    [forbidden] Эта дорожная карта вам недоступна.
    [not_responsible] Отметить выполнение может ответственный за пункт или куратор школы.
    [done_already] Этот пункт уже отмечен выполненным.
    [not_in_school] Ответственным можно назначить только сотрудника этой школы.
    [edge] Дальше передвинуть нельзя.
    [not_template] Опубликовать можно только шаблон округа.
   *[empty] Напишите короткое подтверждение или пришлите файл.
 }
roadmap-reminder = 🗺 Дорожная карта: «{$activity}» — срок {$deadline}, { $days ->
    [one] остался {$days} день
    [few] осталось {$days} дня
   *[other] осталось {$days} дней
 }.{ $unassigned ->
    [yes] {" "}Ответственный сотрудник не назначен: назначьте его в дорожной карте.
   *[no] {" "}Когда будет готово, отметьте выполнение с коротким подтверждением или файлом.
 }
roadmap-overdue = ⚠ Дорожная карта: { $count ->
    [one] просрочен {$count} пункт
    [few] просрочены {$count} пункта
   *[other] просрочено {$count} пунктов
 }:
    {$items}
roadmap-overdue-line = • {$activity} — {$deadline}
roadmap-handed-over = 🗺 Ответственный за «{$activity}» больше не участвует в программе школы (вышел или отозвал согласие). Пункт передан вам; назначьте другого ответственного.
roadmap-digest = 🗺 Дорожная карта, {$month}: выполнено {$done} из {$total}; до конца месяца — {$due}; просрочено — {$overdue}.
roadmap-pushed = 🗺 В дорожную карту школы добавлены мероприятия из шаблона округа: {$count}.
roadmap-published = Шаблон опубликован: школ — {$schools}, новых пунктов — {$items}.
roadmap-evidence-order = Приказ «Об утверждении наставнических пар/групп» № {$number} от {$signed}
roadmap-evidence-monitoring = Данные контрольного мониторинга представлены в округ {$submitted}: пар и групп — {$pairs}, завершённых программ — {$completed}
roadmap-evidence-bank = { $auto ->
    [mentee_bank] Анкет наставляемых: {$count}, последняя {$last}
   *[mentor_bank] Анкет наставников: {$count}, последняя {$last}
 }
roadmap-done-ask = Что сделано по «{$activity}»? Напишите короткое подтверждение или пришлите файл (приказ, протокол).
roadmap-done-ask-again = Напишите подтверждение текстом или пришлите файл.
roadmap-done-saved = Пункт «{$activity}» отмечен выполненным.
roadmap-district-title = <b>Дорожные карты школ</b> · {$name}
roadmap-district-school = {$school}: выполнено {$done} из {$total} ({$percent} %), просрочено — {$overdue}
roadmap-district-none = {$school}: дорожная карта ещё не открыта
roadmap-district-overdue = {"  "}⚠ {$activity} — {$deadline}
