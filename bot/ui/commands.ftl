# The command list in Telegram's menu: a description says what the command does, briefly.
command-start = Начать
command-help = Что умеет бот
command-menu = Главное меню
command-cancel = Прервать текущий шаг
command-privacy = Мои данные и согласие
command-mydata = Получить мои данные файлом
command-revoke = Отозвать согласие
command-schools = Округа и школы
command-schools-district = Школы округа
command-status = Состояние бота
command-teacherlink = Ссылка для учителей
command-broadcast = Рассылка участникам школы
