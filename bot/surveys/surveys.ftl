btn-surveys = 📋 Опросы
btn-survey-new = ➕ Новый опрос
btn-survey-item = { $status ->
    [draft] ✏ {$title} · черновик
    [running] ▶ {$title} · идёт
   *[closed] ■ {$title} · закрыт
 }
btn-survey-take = 📝 Пройти опрос
btn-survey-change = ✏ Изменить ответы
btn-survey-preview = 👁 Как увидит участник
btn-survey-audience = 👥 Кому
btn-survey-deadline = ⏰ Срок ответа
btn-survey-anonymous = { $anonymous ->
    [yes] 🔒 Анонимный: да (изменить)
   *[no] 🔓 Анонимный: нет (изменить)
 }
btn-survey-launch = 🚀 Запустить
btn-survey-launch-confirm = 🚀 Запустить: { $count ->
    [one] {$count} получатель
    [few] {$count} получателя
   *[other] {$count} получателей
 }
btn-survey-results = 📊 Итоги
btn-survey-xlsx = 📥 Все ответы (Excel)
btn-survey-card = 📋 Карточка опроса
btn-survey-remind = 🔔 Напомнить не ответившим
btn-survey-extend = ⏰ Продлить срок
btn-survey-close = ■ Закрыть досрочно
btn-survey-close-confirm = ■ Да, закрыть опрос
btn-survey-not-answered = Не ответившие на «{$title}» (№ {$other})
surveys-title = <b>Опросы</b> · {$school}
surveys-empty = Опросов пока нет. Создайте опрос по готовому шаблону.
survey-templates = Выберите шаблон опроса. Вопросы шаблона — из методических рекомендаций (Р-145, приложение 2); получателей и срок вы выберете дальше.
survey-created = Черновик опроса создан.

    {$card}
survey-card-title = <b>{$title}</b> · { $questions ->
    [one] {$questions} вопрос
    [few] {$questions} вопроса
   *[other] {$questions} вопросов
 }
survey-card-status = { $status ->
    [draft] Черновик
    [running] Опрос идёт
   *[closed] Опрос закрыт
 } · { $anonymous ->
    [yes] анонимный
   *[no] не анонимный
 }
survey-card-audience = Кому: {$who}
survey-audience = { $audience ->
    [school] вся школа (наставники и наставляемые)
    [mentors] наставники
    [mentees] наставляемые
    [pairs] участники выбранных пар
   *[not_answered] не ответившие на опрос № {$other}
 }
survey-card-deadline = Срок ответа: {$deadline}
survey-card-recipients = Получателей сейчас: {$count}
survey-audience-ask = Кому отправить опрос?
survey-deadline-ask = Напишите срок ответа, например «30.11 18:00», «в пятницу 18:00» или «30.11» (до конца дня). Время — школьное.
survey-deadline-wrong = {$reason}

    Напишите срок ещё раз, например «30.11 18:00».
survey-deadline-set = Срок сохранён.
survey-launch-ask = Запустить опрос «{$title}»? Его получат { $count ->
    [one] {$count} участник
    [few] {$count} участника
   *[other] {$count} участников
 }, срок ответа — {$deadline}. После запуска вопросы и получателей изменить нельзя.
survey-launched = Опрос запущен: приглашения уходят { $count ->
    [one] {$count} участнику
   *[other] {$count} участникам
 } (вне «тихих часов»).
survey-reminded = Напоминание уходит { $count ->
    [one] {$count} участнику
   *[other] {$count} участникам
 }, которые ещё не ответили.
survey-close-ask = Закрыть опрос досрочно? Ответы больше не принимаются, напоминания отменяются. Продлить закрытый опрос нельзя.
survey-preview-title = <b>Так опрос увидит участник</b> (кнопки показаны в квадратных скобках):
survey-invitation = 📋 <b>Опрос «{$title}»</b>
    {$intro}
    Ответьте, пожалуйста, до {$deadline}. Ответы сохраняются сразу — можно прерваться и продолжить позже.{ $anonymous ->
    [yes] {" "}Опрос анонимный: ответы хранятся без связи с вами.
   *[no] {""}
 }
survey-reminder = 🔔 Напоминание: опрос «{$title}» ждёт ваших ответов до {$deadline}.
survey-thanks = Спасибо, ответы приняты.{ $anonymous ->
    [yes] {" "}Они сохранены без связи с вами, поэтому изменить их нельзя.
   *[no] {" "}До окончания срока ответы можно изменить кнопкой в приглашении.
 }
survey-answered-named = Вы уже ответили на этот опрос. До окончания срока ответы можно изменить.
survey-refusal = { $reason ->
    [not_found] Такого опроса нет.
    [not_draft] Опрос уже запущен: его вопросы и получателей изменить нельзя.
    [no_audience] Опрос некому отправить: в выбранной группе нет участников. Выберите других получателей.
    [no_deadline] Сначала укажите срок ответа.
    [deadline_past] Срок ответа уже прошёл. Укажите новый срок.
    [closed] Опрос закрыт: ответы не принимаются, продлить его нельзя.
    [not_recipient] Этот опрос адресован не вам.
    [deadline_passed] Срок ответа на этот опрос истёк — ответы больше не принимаются.
    [answered] Вы уже ответили на этот опрос. Спасибо!
    [reminded_recently] Напоминание уже отправлено меньше часа назад. Повторить можно позже.
    [not_later] Новый срок должен быть позже прежнего.
    [no_one_left] Все получатели уже ответили — напоминать некому.
    [no_questions] В опросе нет ни одного вопроса. Добавьте вопросы кнопкой «Вопросы».
    [edited_meanwhile] Черновик только что изменён на другом экране. Откройте его ещё раз.
   *[after_school_year] Срок не может быть позже конца учебного года (31 августа).
 }
survey-rate = Получили: {$recipients} · ответили: {$answered} ({$percent}%) · начали: {$started} · не открывали: {$not_opened}
survey-summary-title = 📊 <b>Итоги опроса «{$title}»</b>
survey-summary-deadline = Срок ответа: {$deadline}{ $anonymous ->
    [yes] {" "}· анонимный
   *[no] {""}
 }
survey-group = <b>{ $role ->
    [mentor] Наставники
    [mentee] Наставляемые
   *[all] Все ответившие
 }: {$count}</b>
survey-group-hidden = Ответов меньше {$least} — итоги группы не показываются, чтобы сохранить анонимность.
survey-no-answers = Ответов пока нет.
survey-line-empty = {$number}. {$header}: ответов нет
survey-line-scale = {$number}. {$header}: среднее <b>{$mean}</b> из 10 (ответов: {$count}; {$spread})
survey-line-yes-no = {$number}. {$header}: да — {$yes} ({$yes_share}%), нет — {$no} ({$no_share}%)
survey-line-choice = {$number}. {$header}: {$options}
survey-line-open = {$number}. {$header} (ответов: {$count}):
survey-open-answer = — «{$text}»
survey-xlsx-caption = Все ответы опроса «{$title}»: одна строка — один участник.
survey-column-name = ФИО
survey-column-role = Роль
survey-role = { $role ->
    [mentor] наставник
   *[mentee] наставляемый
 }
btn-survey-blank = ✏ Свой опрос с нуля
btn-survey-questions = ✏ Вопросы
btn-survey-question = ✏ {$number}
btn-survey-q-add = ➕ Добавить вопрос
btn-survey-q-text = ✏ Изменить текст
btn-survey-q-options = ☰ Варианты ответа
btn-survey-q-required = { $required ->
    [yes] Обязательный: да (изменить)
   *[no] Обязательный: нет (изменить)
 }
btn-survey-q-up = ⬆ Выше
btn-survey-q-down = ⬇ Ниже
btn-survey-q-delete = 🗑 Удалить вопрос
btn-survey-q-list = « К списку вопросов
survey-title-ask = Напишите название опроса (до 120 символов), например «Удовлетворённость школой молодого педагога».
survey-kind = { $kind ->
    [scale] Шкала 1–10
    [single] Один вариант
    [multi] Несколько вариантов
    [yes_no] Да / нет
    [short_text] Короткий ответ
   *[long_text] Развёрнутый ответ
 }
survey-kind-ask = Выберите вид вопроса.
survey-question-ask = Напишите текст вопроса (до 500 символов).
survey-options-ask = Напишите варианты ответа, каждый с новой строки: от 2 до 10 вариантов, каждый до 100 символов.
survey-question-saved = Сохранено.
survey-questions-title = <b>Вопросы опроса «{$title}»</b> · { $count ->
    [one] {$count} вопрос
    [few] {$count} вопроса
   *[other] {$count} вопросов
 }
survey-questions-empty = Вопросов пока нет. Добавьте первый вопрос.
survey-question-line = {$number}. {$text} — { $kind ->
    [scale] шкала 1–10
    [single] один вариант
    [multi] несколько вариантов
    [yes_no] да / нет
    [short_text] короткий ответ
   *[long_text] развёрнутый ответ
 }{ $required ->
    [yes] {""}
   *[no] , необязательный
 }
survey-question-card = <b>Вопрос {$number} из {$total}</b>
    {$text}
    Вид: { $kind ->
    [scale] шкала 1–10
    [single] один вариант
    [multi] несколько вариантов
    [yes_no] да / нет
    [short_text] короткий ответ
   *[long_text] развёрнутый ответ
 } · { $required ->
    [yes] обязательный
   *[no] необязательный
 }
survey-question-option = • {$label}
survey-draft-refusal = { $reason ->
    [empty_title] Название не может быть пустым. Напишите название опроса.
    [empty_text] Текст вопроса не может быть пустым. Напишите вопрос.
    [too_long] Слишком длинный текст. Сократите его и отправьте ещё раз.
    [options] Нужны от 2 до 10 вариантов ответа, каждый с новой строки и не длиннее 100 символов. Напишите варианты ещё раз.
    [too_many] В опросе уже 40 вопросов — больше добавить нельзя.
    [no_such_question] Такого вопроса в черновике уже нет.
   *[not_choice] У этого вопроса нет вариантов ответа.
 }
btn-survey-pair = { $chosen ->
    [yes] ✅
   *[no] ▫️
 } {$mentors} — {$mentees}
btn-survey-pairs-done = ✔ Готово
survey-pairs-ask = Отметьте пары: опрос получат их участники (наставники и наставляемые). Выбрано пар: {$chosen}, получателей: {$recipients}.
survey-pairs-none = В школе нет работающих пар. Выберите других получателей.
btn-district-surveys = 📋 Опросы округа
district-surveys-title = <b>Опросы округа</b> · {$district}
district-surveys-empty = Опросов округа пока нет. Опрос по шаблону уходит во все школы округа: их кураторам или всем участникам.
district-survey-templates = Выберите шаблон опроса. Он уйдёт во все школы округа; получателей и срок вы выберете дальше.
district-survey-title = <b>{$title}</b> · опрос округа «{$district}»
district-survey-audience = Кому: { $audience ->
    [curators] кураторы всех школ округа
   *[school] все участники всех школ округа (наставники и наставляемые)
 }
btn-district-survey-audience = { $chosen ->
    [yes] ✅
   *[no] ▫️
 } { $audience ->
    [curators] Кураторам школ
   *[school] Всем участникам школ
 }
district-survey-launch-ask = Запустить опрос «{$title}» во { $schools ->
    [one] {$schools} школе
   *[other] {$schools} школах
 } округа? Его получат { $count ->
    [one] {$count} участник
    [few] {$count} участника
   *[other] {$count} участников
 }, срок ответа — {$deadline}. После запуска получателей изменить нельзя.
district-survey-launched = Опрос запущен в { $schools ->
    [one] {$schools} школе
   *[other] {$schools} школах
 }: приглашения уходят { $count ->
    [one] {$count} участнику
   *[other] {$count} участникам
 } (вне «тихих часов»).
district-survey-rates = <b>Ответы по школам</b> ({$schools}):
district-survey-school = {$school}: {$rate}
district-survey-launching = Запуск ещё идёт: школы добавляются.
btn-district-survey-refresh = 🔄 Обновить
district-survey-refusal = { $reason ->
   *[no_schools] В округе нет ни одной школы — опрос некому отправить. Сначала добавьте школы.
 }
btn-my-surveys = 📝 Опросы
my-surveys-title = <b>Мои опросы</b>
my-surveys-empty = Опросов для вас пока нет. Когда куратор отправит опрос, он появится здесь.
my-survey-line = • «{$title}», срок — {$deadline}: { $state ->
    [new] ещё не открыт
    [started] начат, можно продолжить
    [answered] ответы приняты, до срока их можно изменить
    [done] ответы приняты
   *[closed] закрыт, ответы не принимаются
 }
btn-my-survey = { $state ->
    [new] 📝 {$title}
    [started] ▶ Продолжить: {$title}
    [answered] ✏ Изменить ответы: {$title}
   *[closed] ■ {$title} · закрыт
 }
btn-survey-offsets = ⚙ Сроки напоминаний и опросов программ
survey-offsets = <b>Сроки опросов школы</b>
    Напоминания не ответившим: за {$reminders} дн. до срока и утром в день срока.
    Промежуточный опрос программы: когда пройдёт {$midpoint}% её срока.
    Срок ответа на опросы программы (промежуточный и итоговые): {$days} дн.
    Новые сроки действуют для опросов, запущенных после изменения.
btn-survey-offset = { $field ->
    [reminders] ✏ Напоминания об опросах
    [midpoint] ✏ Промежуточный опрос программы
   *[survey_days] ✏ Срок ответа на опросы программы
 }
survey-offsets-ask = { $field ->
    [reminders] За сколько дней до срока напоминать не ответившим? Напишите от 1 до 5 целых чисел через запятую, например «3, 1». Утром в день срока напоминание уходит всегда.
    [midpoint] Когда отправлять промежуточный опрос? Напишите, какая доля срока программы должна пройти, в процентах: целое число от 10 до 90, например «50».
   *[survey_days] Сколько дней давать на ответ на опросы программы? Напишите целое число от 1 до 90, например «14».
 }
survey-offsets-wrong = { $reason ->
    [not_number] Нужны целые числа цифрами, например «3, 1».
    [not_positive] Числа должны быть больше нуля.
    [too_many] Можно указать не больше {$most} значений.
    [one_value] Нужно одно число.
   *[out_of_range] Каждое число должно быть от {$low} до {$high}.
 } Напишите ещё раз.
survey-offsets-saved = Сохранено.
