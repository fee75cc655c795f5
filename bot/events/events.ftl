btn-events = 📅 Мероприятия
event-kind = { $kind ->
    [setup_session] Установочная сессия
    [mentor_school] «Школа наставников»
    [candidates] Групповая встреча кандидатов
    [round_table] Круглый стол
    [final] Итоговое мероприятие
   *[other] Мероприятие
 }
btn-event-kind = { $kind ->
    [setup_session] Установочная сессия
    [mentor_school] «Школа наставников»
    [candidates] Групповая встреча кандидатов
    [round_table] Круглый стол
    [final] Итоговое мероприятие
   *[other] Другое
 }
events-title = <b>Мероприятия · {$name}</b>
events-none = Мероприятий ещё не было.
btn-event-new = ➕ Новое мероприятие
btn-event-item = {$when} · {$title}{ $cancelled ->
    [yes] {" "}(отменено)
   *[no] {""}
 }
event-kind-ask = Какое мероприятие вы проводите?
event-title-ask = Напишите название мероприятия (до 200 символов), например: «Школа наставников: первое занятие».
event-time-ask = Когда оно начнётся? Напишите дату и время, например: «28.11 15:30» или «в пятницу в 10:00» (время школы).
event-place-ask = Где оно пройдёт? Напишите адрес и кабинет или ссылку на онлайн-встречу.
event-audience-ask = Кого пригласить?
btn-event-audience = { $audience ->
    [mentors] Наставников
    [mentees] Наставляемых
    [curators] Кураторов школ округа
   *[everyone] Всех участников
 }
event-confirm = <b>{$kind}: {$title}</b>
    Начало: {$when}
    Место: {$place}
    Приглашения получат: { $audience ->
        [mentors] наставники
        [mentees] наставляемые
        [curators] кураторы школ округа
       *[everyone] все участники
    } — { $count ->
        [one] {$count} человек
        [few] {$count} человека
       *[other] {$count} человек
    }. Создать мероприятие и разослать приглашения?
btn-event-create = ✅ Создать
event-created = Мероприятие создано, приглашения поставлены в очередь: { $count ->
    [one] {$count} получатель
    [few] {$count} получателя
   *[other] {$count} получателей
 }.
event-no-draft = Это мероприятие уже создано или его создание прервано. Чтобы создать новое, начните заново.
event-refusal = { $reason ->
    [forbidden] Это мероприятие может вести только куратор школы или координатор её округа.
    [not_found] Такого мероприятия нет или вы на него не приглашены.
    [past] Это время уже прошло. Укажите дату и время в будущем.
    [title] Название пустое или длиннее 200 символов. Напишите название короче.
    [place] Место пустое или длиннее 300 символов. Напишите адрес или ссылку короче.
    [no_recipients] Среди выбранных участников нет ни одного человека. Выберите других.
    [cancelled] Мероприятие отменено.
    [started] Мероприятие уже началось: ответ или время изменить нельзя.
    [not_held] Мероприятие ещё не прошло: присутствие и материалы отмечаются после него.
    [no_materials] Материалов пока нет. Пришлите файлы, затем разошлите их.
    [not_attended] Материалы получают те, кого организатор отметил как присутствовавших.
   *[nobody_attended] Никто не отмечен как присутствовавший: отметьте присутствие, затем разошлите материалы.
 }
event-card = <b>{$kind}: {$title}</b>{ $cancelled ->
    [yes] {" "}— отменено
   *[no] {""}
 }
    Начало: {$when}
    Место: {$place}
    Приглашено: {$invited} · идут: {$going} · не смогут: {$not_going} · не ответили: {$silent}
event-card-attended = Присутствовали: {$count} · материалов: {$materials}
event-guest-line = { $answer ->
    [going] ✅
    [not_going] ❌
   *[none] ⏳
 } {$name}
btn-event-refresh = 🔄 Обновить
btn-event-move = 🕒 Перенести
btn-event-cancel = ✖️ Отменить мероприятие
event-cancel-ask = Отменить мероприятие? Все, кто ответил на приглашение, получат уведомление.
btn-event-cancel-confirm = ✖️ Да, отменить
btn-event-attendance = ☑️ Отметить присутствие
event-attendance-title = <b>Присутствие</b>: нажмите на участника, чтобы отметить или снять отметку.
event-attendance-counts = Присутствовали: {$attended} из {$invited} · сказали «Иду»: {$going}
    Страница {$page} из {$pages}
btn-event-mark-going = ✅ Отметить всех, кто сказал «Иду»
btn-event-page-prev = ‹ Назад (стр. {$page})
btn-event-page-next = Вперёд (стр. {$page}) ›
btn-event-mark = { $on ->
    [yes] ✅
   *[no] ▫️
 } {$name}
btn-event-materials = 📎 Прислать материалы
btn-event-send-materials = 📤 Разослать материалы присутствовавшим
event-move-ask = Новое время мероприятия? Напишите дату и время, например: «28.11 15:30».
event-materials-ask = Пришлите файлы материалов (каждый — отдельным сообщением, как документ). Затем нажмите «Разослать».
event-material-saved = Файл сохранён. Материалов: {$count}. Пришлите ещё или разошлите их.
event-material-not-file = Это не файл. Пришлите материал как документ (скрепка → «Файл»).
event-materials-sent = Материалы разосланы: { $count ->
    [one] {$count} участнику
   *[other] {$count} участникам
 }.
event-invitation = 📅 <b>{$kind}: {$title}</b>
    Начало: {$when}
    Место: {$place}
    Придёте?
event-reminder = 🔔 Напоминание: {$kind} «{$title}» — {$when}, {$place}.
event-moved = 🕒 Мероприятие «{$title}» ({$kind}) перенесено: было {$was}, теперь {$when}. Место: {$place}. Ответ можно изменить.
event-cancelled = ✖️ Мероприятие «{$title}» ({$kind}) {$when} отменено.
event-materials-ready = 📎 Материалы мероприятия «{$title}» ({$kind}): { $count ->
    [one] {$count} файл
    [few] {$count} файла
   *[other] {$count} файлов
 } — следующими сообщениями. Открыть их снова можно в карточке мероприятия («📅 Мероприятия» в меню).
event-material-caption = 📎 {$kind} «{$title}»
btn-event-open = 📅 Открыть мероприятие
event-held = 📅 <b>{$kind}: {$title}</b>
    Прошло: {$when}
    Место: {$place}
    { $attended ->
        [yes] Вы отмечены среди присутствовавших.
       *[no] Вы не отмечены среди присутствовавших.
    }
my-events-materials = Материалы прошедших мероприятий, на которых вы были, — кнопками «📎» ниже.
btn-my-event-materials = 📎 {$when} · {$title}
btn-event-going = ✅ Иду
btn-event-not-going = ❌ Не смогу
btn-event-materials-get = 📎 Получить материалы
event-answer = { $answer ->
    [going] Ваш ответ: иду. Напомним накануне и за час до начала.
    [not_going] Ваш ответ: не смогу.
   *[none] Вы ещё не ответили.
 }
my-events-title = <b>Мероприятия</b>, на которые вы приглашены:
my-events-none = Предстоящих мероприятий, на которые вы приглашены, нет.
btn-my-event = {$when} · {$title} · { $answer ->
    [going] иду
    [not_going] не смогу
   *[none] нет ответа
 }
report-training-title = Мероприятия и обучение наставников
report-training-none = Мероприятий не проводилось.
report-training-mentors = Наставников прошли обучение (установочная сессия, «Школа наставников»)
