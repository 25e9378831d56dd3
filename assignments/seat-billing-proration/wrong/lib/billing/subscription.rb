# frozen_string_literal: true

module Billing
  # A customer's subscription: a plan and a number of seats from a start date, changed or
  # cancelled over time, billed monthly in advance on the start date's day of the month.
  class Subscription
    Event = Struct.new(:on, :plan, :seats, :cancel, keyword_init: true)

    attr_reader :starts_on

    def initialize(plan:, seats:, starts_on:)
      raise ArgumentError, "plan must be a Billing::Plan" unless plan.is_a?(Plan)
      raise ArgumentError, "seats must be a positive Integer" unless valid_seats?(seats)
      raise ArgumentError, "starts_on must be a Date" unless starts_on.is_a?(Date)

      @plan = plan
      @seats = seats
      @starts_on = starts_on
      @events = []
    end

    def change(on:, plan: nil, seats: nil)
      raise ArgumentError, "nothing to change" if plan.nil? && seats.nil?
      raise ArgumentError, "plan must be a Billing::Plan" unless plan.nil? || plan.is_a?(Plan)
      raise ArgumentError, "seats must be a positive Integer" unless seats.nil? || valid_seats?(seats)

      validate_date!(on)
      @events << Event.new(on: on, plan: plan, seats: seats, cancel: false)
      self
    end

    def cancel(on:)
      validate_date!(on)
      @events << Event.new(on: on, cancel: true)
      self
    end

    def invoices_through(date)
      raise ArgumentError, "date must be a Date" unless date.is_a?(Date)

      invoices = []
      balance = 0
      plan = @plan
      seats = @seats
      pending = @events.dup
      months = 0

      loop do
        period_start = starts_on >> months
        period_end = starts_on >> (months + 1)
        break if period_start > date

        # changes up to and including the renewal day apply to the renewal
        while pending.any? && pending.first.on <= period_start
          event = pending.shift
          return invoices if event.cancel

          plan = event.plan || plan
          seats = event.seats || seats
        end

        balance = add_invoice(invoices, balance, period_start,
                              [line(:renewal, plan, seats, period_start, period_end,
                                    plan.seat_price_cents * seats)])

        while pending.any? && pending.first.on < period_end && pending.first.on <= date
          event = pending.shift
          days_left = (period_end - event.on).to_i
          days = days_in_month(event.on)
          credit = prorate(plan.seat_price_cents * seats, days_left, days)
          lines = [line(:credit, plan, seats, event.on, period_end, -credit)]
          if event.cancel
            add_invoice(invoices, balance, event.on, lines)
            return invoices
          end

          plan = event.plan || plan
          seats = event.seats || seats
          lines << line(:charge, plan, seats, event.on, period_end,
                        prorate(plan.seat_price_cents * seats, days_left, days))
          balance = add_invoice(invoices, balance, event.on, lines)
        end

        months += 1
      end
      invoices
    end

    private

    def add_invoice(invoices, balance, issued_on, lines)
      total = lines.sum(&:amount_cents)
      if total.negative?
        invoices << Invoice.new(issued_on: issued_on, lines: lines, total_cents: total,
                                credit_applied_cents: 0, amount_due_cents: 0,
                                balance_after_cents: balance - total)
        return balance - total
      end

      applied = [balance, total].min
      invoices << Invoice.new(issued_on: issued_on, lines: lines, total_cents: total,
                              credit_applied_cents: applied, amount_due_cents: total - applied,
                              balance_after_cents: balance - applied)
      balance - applied
    end

    # daily rate: the monthly price spread over the days of the month the change falls in
    def days_in_month(day)
      Date.new(day.year, day.month, -1).day
    end

    def prorate(monthly_cents, days_left, days)
      (Rational(monthly_cents * days_left, days) + Rational(1, 2)).floor
    end

    def line(kind, plan, seats, starts_on, ends_on, amount)
      Line.new(kind: kind, plan_code: plan.code, seats: seats, starts_on: starts_on,
               ends_on: ends_on, amount_cents: amount)
    end

    def validate_date!(on)
      raise ArgumentError, "on must be a Date" unless on.is_a?(Date)
      raise InvalidChange, "before the start" if on < starts_on
      raise InvalidChange, "already cancelled" if @events.any?(&:cancel)
      raise InvalidChange, "out of order" if @events.any? && on < @events.last.on
    end

    def valid_seats?(seats)
      seats.is_a?(Integer) && seats.positive?
    end
  end
end
