btn-filter-subject = 🔎 По предмету
btn-filter-reset = ✖ Сбросить фильтр
btn-export-xlsx = 📤 Excel (XLSX)
btn-export-csv = 📤 CSV
btn-remind = 🔔 Напомнить незаполнившим
btn-prev-page = ‹
btn-next-page = ›
bank-empty = Пока никого нет. Разошлите учителям ссылку школы.
bank-nothing-found = По этому фильтру никого нет.
bank-pick-filter = Выберите значение фильтра.
bank-not-member = Этот участник не найден в банке вашей школы.
bank-not-filled = Анкета ещё не заполнена.
export-status = Статус
export-days-waiting = Дней ожидания
unreachable = заблокировал бота: сообщения не доходят
bank-title = { $role ->
    [mentor] Банк наставников
   *[mentee] Банк наставляемых
 }
btn-bank = { $role ->
    [mentor] 🧑‍🏫 Банк наставников
   *[mentee] 👥 Банк наставляемых
 }
btn-filter-area = { $role ->
    [mentor] 🔎 По компетенции
   *[mentee] 🔎 По затруднению
 }
btn-parent-link = 🔗 Новая ссылка для родителя
bank-unnamed = Участник id{ $telegram_id }
bank-status = { $status ->
    [no_consent] нет согласия на обработку ПДн
    [not_started] анкета не начата
    [in_progress] заполняет анкету
    [awaiting_parent] ждёт согласия родителя
    [waiting] ждёт наставника
    [invited] приглашён в пару
    [in_pair] в паре
   *[complete] анкета заполнена
 }
bank-waiting-since = { $days ->
    [0] с сегодняшнего дня
    [one] { $days } день
    [few] { $days } дня
   *[other] { $days } дней
 }
bank-load = нагрузка: { $load } из { $capacity ->
    [one] { $capacity } наставляемого
   *[other] { $capacity } наставляемых
 }
bank-header = <b>{ $title }</b> · { $school }
    Всего: { $total }, анкет заполнено: { $complete }
bank-header-waiting = , ждут наставника: { $waiting }
bank-filter = Фильтр: { $label }
bank-line = { $number }. { $name } — { $status }
bank-card = <b>{ $name }</b>
    { $status }
export-caption = { $title }: { $count ->
    [one] { $count } человек
    [few] { $count } человека
   *[other] { $count } человек
 }.
export-caption-filtered = { $title } (фильтр: { $label }): { $count ->
    [one] { $count } человек
    [few] { $count } человека
   *[other] { $count } человек
 }.
bank-reminded = Напоминание отправлено: { $count ->
    [one] { $count } человек
    [few] { $count } человека
   *[other] { $count } человек
 }.
bank-reminded-none = Все уже заполнили анкеты или получили напоминание сегодня.
questionnaire-reminder = Куратор программы наставничества напоминает: заполните, пожалуйста, анкету { $role ->
    [mentor] наставника
   *[mentee] наставляемого
 }. Откройте /menu и нажмите кнопку анкеты. Ответы сохраняются сразу, можно заполнять в несколько подходов.
parent-link-reissued =
    Новая ссылка для родителя (законного представителя) ученика { $name }:
    { $link }

    Передайте её родителю или ученику. Прежняя ссылка больше не действует.
parent-link-not-needed = Согласие родителя для этого участника не требуется или уже получено.
school-bank-counts = 🏫 { $name }: наставников { $mentors } (анкет { $mentors_complete }), наставляемых { $mentees } (анкет { $mentees_complete })
