btn-meeting-new = 📅 Назначить встречу
btn-journal = 📓 Журнал встреч
btn-journal-docx = 📄 Журнал (.docx)
btn-meeting-confirm = ✅ Подтверждаю
btn-meeting-move = 🕑 Предложить другое время
btn-meeting-cancel = ✖ Отменить встречу
btn-feedback = 📝 Оставить обратную связь
btn-online = 💻 Онлайн
btn-no-topic = Без темы
meeting-kind = { $kind ->
    [organizational] организационная встреча
    [trial] пробная рабочая встреча
    [planning] встреча-планирование
    [final] итоговая встреча
   *[regular] рабочая встреча
 }
meeting-outcome = { $outcome ->
    [awaiting] ждёт подтверждения
    [planned] подтверждена
    [held] состоялась
    [not_held] не состоялась
   *[cancelled] отменена
 }
meeting-ask-when = Когда встречаемся? Напишите дату и время, например «28.11 15:30», «завтра в 16:00» или «в пятницу 15:00» (время школы: { $zone }).
meeting-time-suggestion = { $weekday ->
    [0] Пн
    [1] Вт
    [2] Ср
    [3] Чт
    [4] Пт
    [5] Сб
   *[6] Вс
 } { $moment }
meeting-ask-place = Где? Напишите место (например, «каб. 204») или ссылку на онлайн-встречу.
meeting-ask-topic = Тема встречи? Выберите следующий пункт программы или напишите свою.
meeting-text-limit = Слишком длинный текст: не более 200 символов. Напишите короче.
meeting-proposed = Предложение встречи отправлено. Встреча будет назначена, когда другая сторона её подтвердит.
meeting-confirmed = Встреча подтверждена. Накануне и за час до начала придёт напоминание.
meeting-cancelled = Встреча отменена, участники получат уведомление.
meeting-refusal = { $reason ->
    [pair_not_yours] { pair-not-yours }
    [pair_not_active] Встречи назначаются только в действующей паре.
    [cancelled_already] Эта встреча уже отменена.
    [stale] Это предложение уже неактуально: время изменили или встречу подтвердили.
    [own_proposal] Это ваше предложение — его подтверждает другая сторона.
    [draft_lost] Черновик встречи не сохранился. Начните заново: /menu → «🤝 Мои пары» → «📅 Назначить встречу».
    [feedback_for_cancelled] Встреча была отменена — обратная связь по ней не нужна.
    [feedback_too_early] Обратную связь можно оставить после встречи.
    [feedback_already] Вы уже оставили обратную связь по этой встрече. Спасибо!
   *[not_yours] Эта встреча вам недоступна.
 }
meeting-proposal =
    <b>Предложение встречи</b> ({ $kind })
    Когда: { $when }
    Где: { $place }
    Тема: { $topic }
meeting-confirmed-notice = Встреча { $when } ({ $place }) подтверждена.
meeting-cancelled-notice = Встреча { $when } отменена.
meeting-reminder = ⏰ Напоминание: встреча { $when }, { $place }. Тема: { $topic }.
feedback-request = Как прошла встреча { $when }? Обратная связь обязательна, она займёт около двух минут.
feedback-chaser = Напоминаем: нужна ваша обратная связь о встрече { $when }.
feedback-owed = Участник пары не оставил обратную связь о встрече { $when }, несмотря на напоминания.
feedback-thanks = Спасибо за обратную связь! Она попадёт в журнал пары.
pair-nudge = В вашей паре не было встреч { $days ->
    [one] { $days } день
    [few] { $days } дня
   *[other] { $days } дней
 }. Назначьте встречу: /menu → «🤝 Мои пары» → «📅 Назначить встречу».
plan-final-meeting = Программа вашей пары завершается { $end }. Запланируйте итоговую встречу: /menu → «🤝 Мои пары» → «📅 Назначить встречу».
journal-empty = Встреч пока не было.
journal-title = <b>Журнал наставничества</b>
journal-line = • { $when } — { $kind }, { $outcome }. Тема: { $topic }
journal-notes = {"  "}{ $notes }
journal-feedback = оценка { $rating }/10; сделано: { $done }; дальше: { $next_step }
journal-not-held = по отзыву участника не состоялась
journal-doc-title = Журнал наставничества
journal-doc-date = Дата
journal-doc-kind = Вид встречи
journal-doc-topic = Тема
journal-doc-status = Статус
journal-doc-notes = Что сделано, результат, задание
