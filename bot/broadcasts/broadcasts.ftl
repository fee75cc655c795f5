btn-broadcasts = 📣 Рассылка
btn-broadcast-new = ✏️ Новая рассылка
btn-broadcast-past = {$when} · доставлено {$sent} из {$total}
btn-broadcast-audience = { $audience ->
    [mentors] Наставникам
    [mentees] Наставляемым
    [unfinished] Не заполнившим анкету
   *[everyone] Всем участникам
 }
btn-broadcast-send = 📨 Отправить
btn-broadcast-open = 📊 Ход рассылки
btn-broadcast-refresh = 🔄 Обновить
broadcasts-title = <b>Рассылки · {$school}</b>
broadcasts-none = Рассылок ещё не было.
broadcast-compose = Напишите текст объявления одним сообщением (до 4096 символов). Можно выделять текст жирным, курсивом, добавлять ссылки — участники увидят его именно так.
broadcast-audience-ask = Кому отправить объявление?
broadcast-confirm = Выше — объявление в том виде, в каком его получат участники.
    Получатели: { $audience ->
        [mentors] наставники
        [mentees] наставляемые
        [unfinished] не заполнившие анкету
       *[everyone] все участники
    } — { $count ->
        [one] {$count} человек
        [few] {$count} человека
       *[other] {$count} человек
    }. Отправить?
broadcast-queued = Рассылка поставлена в очередь: { $count ->
    [one] {$count} получатель
    [few] {$count} получателя
   *[other] {$count} получателей
 }.
broadcast-quiet = Сейчас в школе время тишины: сообщения уйдут {$when}.
broadcast-no-draft = Эта рассылка уже отправлена или прервана. Чтобы отправить новую, начните заново.
broadcast-card = <b>Рассылка</b> · { $audience ->
    [mentors] наставникам
    [mentees] наставляемым
    [unfinished] не заполнившим анкету
   *[everyone] всем участникам
 }
broadcast-progress = Доставлено: {$sent} · не доставлено: {$failed} · в очереди: {$pending}
broadcast-undelivered = <b>Не получили:</b>
broadcast-undelivered-line = • {$name} — { $status ->
    [blocked] заблокировал(а) бота или удалил(а) аккаунт
    [skipped] не удалось доставить за три дня
    [unknown] связь прервалась при отправке, доставка не подтверждена
    [withdrawn] отправка отменена
   *[failed] Telegram отклонил сообщение
 }
broadcast-refusal = { $reason ->
    [forbidden] Рассылку участникам школы может отправить только её куратор.
    [not_found] Такой рассылки или школы нет.
    [empty] Объявление пустое. Напишите текст объявления.
    [too_long] Объявление длиннее 4096 символов: Telegram такое не доставит. Сократите текст или разделите его на два объявления.
    [bad_markup] В оформлении текста ошибка: незакрытый или неизвестный тег либо знак «&lt;» без тега. Проверьте разметку или отправьте текст без неё.
   *[no_recipients] Среди выбранных получателей нет ни одного человека. Выберите других получателей.
 }
